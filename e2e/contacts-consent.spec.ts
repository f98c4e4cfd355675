// Least privilege: only contacts:read at sign-in. Editing is asked for when wanted
// (incremental consent) and the app follows every answer: allowed, denied, unticked, or an
// account that may never edit.
import type { Route } from '@playwright/test';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { e2eEnv, expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';
import { IdpConsentPage } from './pages/idp-pages.ts';

const WRITE_LABEL = 'Create, edit and delete your contacts';

test.describe('asking for write access', () => {
  // An unticked scope is remembered as refused: forget it, so this worker's user can be
  // granted editing again by the next test.
  test.afterEach(async ({ idp, workerUser }) => {
    await idp.revokeConsent(workerUser.username);
  });

  test('a read-only user allows editing on the consent page and lands back on the same contact, editing', async ({
    page,
    signIn,
    workerUser,
    api,
    idp,
  }, testInfo) => {
    test.slow(); // a whole journey through real servers on a shared 2-core machine
    const client = await api(workerUser);
    const name = `Katherine Johnson ${testInfo.testId.slice(0, 6)}`;
    const { body } = await client.request<{ id: string }>('POST', '/contacts', { body: { name } });
    await idp.revokeConsent(workerUser.username);
    try {
      const contacts = new ContactsPage(page);
      const consent = new IdpConsentPage(page);
      await page.goto('/');
      await signIn(page, workerUser, { consent: 'allow' });
      await page.goto(`/contacts/${body.id}`);
      await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);

      // The contact's own offer: it comes back to this contact's edit form.
      await contacts.detail.getByRole('button', { name: 'Allow editing' }).click();
      await expect(consent.heading).toBeVisible();
      await expect(consent.optional(WRITE_LABEL)).toBeChecked();
      await consent.allow.click();

      await expect(page).toHaveURL(new RegExp(`/contacts/${body.id}/edit$`));
      await contacts.field('Notes').fill('Orbital mechanics');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(contacts.detail.getByText('Orbital mechanics')).toBeVisible();
    } finally {
      await deleteContactViaApi(await api(workerUser), body.id); // a fresh token: tokens live 2 min
    }
  });

  for (const answer of ['deny', 'untick'] as const) {
    test(`a user who ${answer === 'deny' ? 'denies' : 'unticks'} editing stays signed in, read-only, is told so, and can change their mind`, async ({
      page,
      signIn,
      workerUser,
      idp,
    }) => {
      test.slow(); // a whole journey through real servers on a shared 2-core machine
      await idp.revokeConsent(workerUser.username);
      const contacts = new ContactsPage(page);
      await page.goto('/');
      await signIn(page, workerUser, { consent: 'allow' });
      await page.goto('/contacts');
      await contacts.askForEditing(answer === 'deny' ? 'deny' : { untick: WRITE_LABEL });

      await expect(page).toHaveURL(/\/contacts$/);
      await expect(contacts.readOnlyNotice).toContainText('Editing stays off');
      await expect(contacts.newContact).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

      // Asking again shows the consent page again, even though the provider remembers the
      // refusal, and editing is offered ticked like the first time.
      const consent = new IdpConsentPage(page);
      await page.getByRole('button', { name: 'Ask again to allow editing' }).click();
      await expect(consent.heading).toBeVisible();
      await expect(consent.optional(WRITE_LABEL)).toBeChecked();
      await consent.allow.click();
      await expect(page).toHaveURL(/\/contacts$/);
      await expect(contacts.newContact).toBeVisible();
      await expect(contacts.readOnlyNotice).toHaveCount(0);
    });
  }

  test('an account that may only read is told so, and is not offered editing', async ({
    page,
    signIn,
    ownUser,
  }) => {
    test.slow(); // a whole journey through real servers on a shared 2-core machine
    const reader = await ownUser('consent-reader', { entitlements: ['contacts:read'] });
    const contacts = new ContactsPage(page);
    await page.goto('/');
    await signIn(page, reader);
    await page.goto('/contacts');
    await expect(contacts.readOnlyNotice).toContainText('Your account may only read contacts');
    await expect(contacts.allowEditing).toHaveCount(0);
    await expect(contacts.newContact).toHaveCount(0);
  });

  test('a request for editing cut short during the code exchange says so and offers to try again', async ({
    page,
    signIn,
    workerUser,
  }) => {
    const contacts = new ContactsPage(page);
    await page.goto('/contacts');
    await signIn(page, workerUser);
    await expect(contacts.allowEditing).toBeVisible();
    // The provider answers, but the code exchange never does: the user leaves meanwhile.
    // The held request is never let go while its page lives (unrouting would release it, and
    // the exchange could then finish before the user leaves); other token requests pass.
    const tokenUrl = `${e2eEnv.idpIssuer}/token`;
    const held: Route[] = [];
    await page.route(tokenUrl, async (route) => {
      if (route.request().postData()?.includes('grant_type=authorization_code')) {
        held.push(route); // never answered
        return;
      }
      await route.continue();
    });
    await contacts.allowEditing.click();
    const consent = new IdpConsentPage(page);
    const signingIn = page.getByText('Signing you in…');
    await expect(consent.heading.or(signingIn).first()).toBeVisible();
    if (await consent.heading.isVisible()) await consent.allow.click();
    await expect.poll(() => held.length).toBe(1);
    await page.goto('/contacts');
    await page.unroute(tokenUrl);

    await expect(contacts.heading).toBeVisible();
    await expect(contacts.readOnlyNotice).toContainText('did not finish');
    await expect(contacts.readOnlyNotice).not.toContainText('not given');
    await contacts.readOnlyNotice.getByRole('button', { name: 'Try again' }).click();
    await expect(consent.heading.or(contacts.newContact).first()).toBeVisible();
    if (await consent.heading.isVisible()) await consent.allow.click();
    await expect(contacts.newContact).toBeVisible();
  });

  test('a write refused by the API (403 insufficient_scope) leads to the same offer', async ({
    page,
    signIn,
    workerUser,
  }, testInfo) => {
    test.slow(); // a whole journey through real servers on a shared 2-core machine
    const contacts = new ContactsPage(page);
    const writes: { status: number; challenge: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.request().method() !== 'POST') return;
      if (response.url() !== `${e2eEnv.apiUrl}/contacts`) return;
      writes.push({ status: response.status(), challenge: response.headers()['www-authenticate'] });
    });
    await page.goto('/');
    await signIn(page, workerUser);
    await page.goto('/contacts/new'); // read-only, straight to the form
    // The page's own offer is there from the start; the refusal's comes only with the 403.
    const refusal = page.getByRole('alert').filter({ hasText: 'The contact was not created' });
    await expect(contacts.allowEditing).toBeVisible();
    await expect(refusal).toHaveCount(0);
    const name = `Mary Jackson ${testInfo.testId.slice(0, 6)}`;
    await contacts.field('Name *').fill(name);
    await page.getByRole('button', { name: 'Create contact' }).click();
    await expect(refusal).toContainText('This app has not been allowed');
    expect(writes.at(-1)).toEqual({
      status: 403,
      challenge: expect.stringContaining('error="insufficient_scope"'),
    });
    // The refusal's own offer, not the page's: it asks for editing and comes back here.
    const offer = refusal.getByRole('button', { name: 'Allow editing' });
    await expect(offer).toBeVisible();
    await offer.click();
    const consent = new IdpConsentPage(page);
    await expect(consent.heading).toBeVisible();
    await expect(consent.optional(WRITE_LABEL)).toBeChecked();
    await consent.allow.click();
    await expect(page).toHaveURL(/\/contacts\/new$/);
    await expect(contacts.newContact).toBeVisible();
    await expect(contacts.field('Name *')).toHaveValue(name); // the draft survived the trip
  });
});
