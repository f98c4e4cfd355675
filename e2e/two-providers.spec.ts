// Several providers: the user chooses, each provider's sign-in state stays apart, the app
// says which one the user signed in with, and the contacts API keeps users of different
// issuers apart even when their `sub` is the same (both local IdPs seed the same users).

import type { Page } from '@playwright/test';
import { e2eEnv, expect, secondIdp, test } from './fixtures.ts';
import { holdAuthorization } from './hold-authorization.ts';
import { ContactsPage } from './pages/contacts-page.ts';
import { expectNoSessionSurvives } from './session-survival.ts';

/** The scopes of the next authorization request the page sends to the second IdP. */
const nextScopesAsked = (page: Page) =>
  page
    .waitForRequest((request) => {
      const url = new URL(request.url());
      return url.origin === secondIdp.issuer && url.searchParams.has('scope');
    })
    .then((request) => new URL(request.url()).searchParams.get('scope')?.split(' ') ?? []);

test('signing in with the second provider: same sub, another issuer, other data', async ({
  page,
  app,
  idpLogin,
  idpConsent,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await expect(app.signInWith('Local test IdP')).toBeVisible();
  await app.signInWith(secondIdp.label).click();
  await expect(page).toHaveURL(new RegExp(`^${secondIdp.issuer}/`));
  await idpLogin.signIn(workerUser);
  await expect(idpConsent.heading).toBeVisible();
  await idpConsent.allow.click();

  await expect(page).toHaveURL(`${e2eEnv.spaOrigin}/contacts`);
  await expect(app.identity).toContainText(`${workerUser.name} with ${secondIdp.label}`);
  // Nothing was seeded for this issuer: the first IdP's user with the same sub owns the
  // seeded contacts, and the API keys rows by issuer and subject.
  await expect(page.getByText('No contacts yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText(secondIdp.issuer, { exact: true })).toBeVisible();

  // Sign out at the second IdP; the choice is remembered as the last one used.
  await app.signOut.click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(app.signInWith(secondIdp.label)).toHaveClass(/primary/);

  // The first provider: the same username, its own session, the seeded contacts.
  await signIn(page, workerUser);
  await expect(app.identity).toContainText(`${workerUser.name} with Local test IdP`);
  await expect(app.contactNames.first()).toBeVisible();
});

test('a response from one provider arriving while the tab uses another is refused (mix-up)', async ({
  page,
  app,
  idpLogin,
  workerUser,
}) => {
  // Start at the second IdP but hold the redirect, keeping its authorization URL.
  await page.goto('/');
  const secondAuthorize = await holdAuthorization(page, secondIdp.issuer, () =>
    app.signInWith(secondIdp.label).click(),
  );
  // Then choose the first provider in the same tab (held too): the tab now expects it.
  await holdAuthorization(page, e2eEnv.idpIssuer, () => app.signInWith('Local test IdP').click());

  // The second IdP's sign-in completes and answers to this tab.
  await page.goto(secondAuthorize);
  await idpLogin.signIn(workerUser);
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  await expect(allow.or(app.alert).first()).toBeVisible();
  if (await allow.isVisible()) await allow.click();

  await expect(app.alert).toContainText(
    'This sign-in response did not come from the expected provider.',
  );
  await expect(app.identity).toHaveCount(0);
  await expectNoSessionSurvives(page);
});

test("a provider with its own scope names: asked, granted and enforced by that provider's names", async ({
  page,
  app,
  idpLogin,
  idpConsent,
  workerUser,
}, testInfo) => {
  test.slow(); // a sign-in, a consent for editing and three writes through real servers
  // The second IdP calls the contacts permissions read:contacts / write:contacts; the SPA's
  // providers[].contactsScopes and the API's ISSUER_PROFILES map them (playwright.config.ts).
  const { read, write } = secondIdp.contactsScopes;
  const contacts = new ContactsPage(page);
  const name = `Mary Jackson ${testInfo.testId.slice(0, 6)}`;

  await page.goto('/');
  const askedAtSignIn = nextScopesAsked(page);
  await app.signInWith(secondIdp.label).click();
  expect(await askedAtSignIn).toContain(read);
  expect(await askedAtSignIn).not.toContain('contacts:read');
  await idpLogin.signIn(workerUser);
  // The IdP asks for consent unless this user allowed it before (the first spec here).
  await expect(idpConsent.heading.or(contacts.heading).first()).toBeVisible();
  if (await idpConsent.heading.isVisible()) await idpConsent.allow.click();

  // Reading works: the API took read:contacts as the read permission.
  await expect(contacts.heading).toBeVisible();
  await expect(page.getByText('No contacts yet.')).toBeVisible();
  await expect(contacts.newContact).toHaveCount(0); // read-only at sign-in
  await page.getByRole('link', { name: 'Account' }).click();
  const granted = page.getByRole('list', { name: 'Granted permissions' });
  await expect(granted.getByRole('listitem')).toHaveText(['Read your contacts']);

  // Editing: asked for by the provider's name, then create, edit and delete.
  await page.getByRole('link', { name: 'Your contacts' }).click();
  const askedForEditing = nextScopesAsked(page);
  await contacts.askForEditing('allow');
  expect(await askedForEditing).toContain(write);
  expect(await askedForEditing).not.toContain('contacts:write');
  await expect(contacts.newContact).toBeVisible();

  await contacts.newContact.click();
  await contacts.field('Name *').fill(name);
  await contacts.field('Company').fill('NACA');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();

  await page.getByRole('link', { name: 'Edit' }).click();
  await contacts.field('Company').fill('NASA Langley');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(contacts.detail.getByText('NASA Langley')).toBeVisible();

  await contacts.deleteOpenContact(name);
  await expect(contacts.row(name)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('No contacts yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(granted.getByRole('listitem')).toHaveText([
    'Read your contacts',
    'Create, edit and delete your contacts',
  ]);
});
