// axe on the screens outside the contacts journey (contacts-a11y.spec.ts): the error
// screens, the edit-conflict panel, the idle countdown dialog and the session notices, in
// light and dark. No serious or critical violation anywhere.
import { expectAccessible } from './axe.ts';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';
import { rewriteConfig, withIdleTimeout } from './runtime-config.ts';

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme}`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    });

    test('the config error screen and the failed sign-in page pass axe', async ({ page }) => {
      await page.route('**/config.json', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: '{ nope' }),
      );
      await page.goto('/');
      await expect(
        page.getByRole('heading', { name: 'This app is not configured correctly' }),
      ).toBeVisible();
      await expectAccessible(page, 'the config error screen');

      await page.unroute('**/config.json');
      // A callback this tab never started (a stale or forged link).
      await page.goto('/callback?code=forged&state=unknown');
      await expect(page.getByRole('heading', { name: 'Sign-in did not complete' })).toBeVisible();
      await expectAccessible(page, 'the failed sign-in page');
    });

    test('the edit-conflict panel passes axe', async ({
      page,
      signIn,
      workerUser,
      api,
    }, testInfo) => {
      test.slow(); // a journey through real servers on a shared 2-core machine
      const client = await api(workerUser);
      const name = `Ada Axe ${scheme} ${testInfo.testId.slice(0, 6)}`;
      const created = await client.request<{ id: string }>('POST', '/contacts', {
        body: { name },
      });
      expect(created.status).toBe(201);
      const path = `/contacts/${created.body.id}`;
      try {
        const contacts = new ContactsPage(page);
        await page.goto('/');
        await signIn(page, workerUser);
        await contacts.openWithEditing(`${path}/edit`);
        await expect(contacts.field('Name *')).toHaveValue(name);

        // Someone else saves first (another device), so this save meets 412.
        const current = await client.request('GET', path);
        const changed = await client.request('PUT', path, {
          body: { name, company: 'Analytical Engines' },
          headers: { 'if-match': current.headers.get('etag') ?? '' },
        });
        expect(changed.status).toBe(200);
        await contacts.field('Company').fill('Difference Engines');
        await page.getByRole('button', { name: 'Save' }).click();
        const conflict = page.getByRole('region', {
          name: 'This contact was changed somewhere else',
        });
        await expect(conflict).toBeVisible();
        await expectAccessible(page, 'the edit-conflict panel');
      } finally {
        await deleteContactViaApi(await api(workerUser), created.body.id);
      }
    });

    test('the idle countdown dialog and the signed-out notice pass axe', async ({
      page,
      signIn,
      workerUser,
    }) => {
      await rewriteConfig(page, withIdleTimeout(1));
      await page.clock.install();
      await page.goto('/contacts');
      await signIn(page, workerUser);

      const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
      await page.keyboard.press('Shift'); // the last input (idle time counts from here)
      await page.clock.fastForward(50_000);
      await expect(dialog).toBeVisible();
      await expectAccessible(page, 'the idle countdown dialog');

      await page.clock.fastForward(11_000);
      await expect(
        page.getByText('You were signed out after a while without activity.'),
      ).toBeVisible();
      await expectAccessible(page, 'the notice after an idle sign-out');
    });

    test('the "session ended" notice passes axe', async ({ page, idp, signIn, workerUser }) => {
      await idp.resetUser(workerUser.username);
      await idp.setAccessTokenTtl(workerUser.username, 4);
      try {
        await page.goto('/contacts');
        await signIn(page, workerUser);
        await expect(new ContactsPage(page).heading).toBeVisible();
        await idp.revokeUser(workerUser.username);
        // The next renewal is due within 2.8 s of the last token (70 % of 4 s).
        await expect(page.getByRole('button', { name: 'Sign in again' })).toBeVisible({
          timeout: 5_000,
        });
        await expectAccessible(page, 'the session-ended notice over the contacts');
      } finally {
        await idp.resetUser(workerUser.username);
      }
    });
  });
}
