// The app against a real Glewlwyd 2.7 (playwright.glewlwyd.config.ts), with the settings
// docs/providers.md gives for it: sign-in through its pages, incremental consent on its
// grant page, renewal with its refresh tokens, two tabs on one session, and sign-out by
// id_token_hint that ends its session too.
import { expect, provider, test } from '../fixtures.ts';
import { AppPage } from '../pages/app-page.ts';
import { ContactsPage } from '../pages/contacts-page.ts';
import { rewriteConfig, withIdleTimeout } from '../runtime-config.ts';
import { sessionLogCount } from '../session-helpers.ts';
import { expectNoSessionSurvives } from '../session-survival.ts';
import { glewlwyd } from './glewlwyd-env.ts';
import { GlewlwydPages } from './glewlwyd-pages.ts';

test('sign-in, editing allowed on its grant page, a contact created, a renewal, and sign-out there too @glewlwyd', async ({
  page,
  app,
  signIn,
  workerUser,
}, testInfo) => {
  test.slow(); // a renewal happens in real time
  const contacts = new ContactsPage(page);
  const glewlwydPages = new GlewlwydPages(page);
  await page.goto('/');
  await signIn(page, workerUser);
  // In the app, not a page load: a bearer session lives in this tab's memory only.
  await page.getByRole('link', { name: 'Your contacts', exact: true }).click();
  await expect(contacts.heading).toBeVisible();
  await expect(contacts.newContact).toHaveCount(0); // contacts:read only at sign-in

  // Incremental consent: Glewlwyd asks for contacts:write on its grant page.
  await contacts.allowEditing.click();
  await expect(glewlwydPages.grantHeading).toBeVisible();
  await expect(glewlwydPages.scope('contacts:write')).not.toBeChecked();
  await glewlwydPages.signIn(workerUser, glewlwyd.spaOrigin);
  await expect(contacts.newContact).toBeVisible();

  // Its RFC 9068 access token (audience: the API, by `resource`) writes to the contacts API.
  const name = `Grace Hopper ${testInfo.testId.slice(0, 6)}`;
  await contacts.newContact.click();
  await contacts.field('Name *').fill(name);
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  // One row once saved (the pending one and the saved one were both listed for a moment).
  await expect(contacts.row(name)).toHaveCount(1);

  // Access tokens live 40 s, renewed 30 s before: a renewal with its refresh token soon.
  await expect.poll(() => sessionLogCount(page, 'renewed'), { timeout: 30_000 }).toBeGreaterThan(0);
  // A new read with the renewed token.
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('link', { name: 'Your contacts', exact: true }).click();
  await expect(contacts.row(name)).toBeVisible();
  await contacts.row(name).click();
  await contacts.deleteOpenContact(name);
  await expect(contacts.row(name)).toHaveCount(0);

  // Sign-out: Glewlwyd needs the ID token as id_token_hint, and nothing of the sign-in.
  const logoutRequest = page.waitForRequest((r) =>
    r.url().startsWith(`${glewlwyd.issuer}/end_session`),
  );
  await app.signOut.click();
  const logout = new URL((await logoutRequest).url());
  expect(logout.searchParams.has('id_token_hint')).toBe(true);
  expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${glewlwyd.spaOrigin}/`);
  expect(logout.searchParams.has('resource')).toBe(false);
  expect(logout.searchParams.has('state')).toBe(true);
  await expect(glewlwydPages.endSessionHeading).toBeVisible();
  await glewlwydPages.logout.click();
  // Back where the app asked (Glewlwyd returns only when the request has a `state`).
  await expect(page).toHaveURL(new RegExp(`^${glewlwyd.spaOrigin}/\\?state=`));
  await expect(app.signIn).toBeVisible();

  // Its session ended: signing in again asks for the password.
  await app.signIn.click();
  await expect(glewlwydPages.password).toBeVisible();
});

test('two tabs share one session, and a sign-out in one ends it in both @glewlwyd', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await signIn(page, workerUser);
  const other = await page.context().newPage();
  const toGlewlwyd: string[] = [];
  other.on('request', (request) => {
    const url = new URL(request.url());
    if (/\/api\/oidc\/(auth|token)$/.test(url.pathname)) toGlewlwyd.push(url.pathname);
  });
  await other.goto('/contacts');
  const otherApp = new AppPage(other);
  await expect(otherApp.identity).toContainText(workerUser.name);
  expect(toGlewlwyd, 'the second tab took the session over, without signing in').toEqual([]);

  const glewlwydPages = new GlewlwydPages(page);
  await app.signOut.click();
  await expect(glewlwydPages.endSessionHeading).toBeVisible();
  await glewlwydPages.logout.click();
  await expect(app.signIn).toBeVisible();
  await expectNoSessionSurvives(page);
});

test('a reload of the only tab: the same page, still signed in; auth_time 0 shown as not given @glewlwyd', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await signIn(page, workerUser);
  await page.getByRole('link', { name: 'Account' }).click();
  const who = page.getByRole('region', { name: 'Who you are' });
  // Glewlwyd's ID tokens say auth_time 0: a time that cannot be true is not shown.
  await expect(
    who.locator('dt', { hasText: 'Signed in at' }).locator('xpath=./following-sibling::dd[1]'),
  ).toHaveText('not given');

  await page.reload();
  if (!provider.dpop) {
    // No refresh token kept across reloads without DPoP: its prompt=none answers
    // invalid_request (not login_required), the app falls back to a full redirect, and
    // Glewlwyd asks the user to continue.
    await new GlewlwydPages(page).signIn(workerUser, glewlwyd.spaOrigin);
  }
  await expect(page).toHaveURL(`${glewlwyd.spaOrigin}/account`);
  await expect(app.identity).toContainText(workerUser.name);
});

test('after an idle timeout, signing in again asks Glewlwyd for the password with prompt=login, although its session is still there @glewlwyd', async ({
  page,
  context,
  app,
  signIn,
  workerUser,
}) => {
  // The page clock runs 61 s ahead after the timeout: DPoP proofs from the future, which
  // Glewlwyd refuses (rightly). The bearer environment shows the re-authentication.
  test.skip(provider.dpop === true, 'needs proofs dated by the real clock');
  await rewriteConfig(context, withIdleTimeout(1));
  await page.clock.install();
  await page.goto('/');
  await signIn(page, workerUser);
  await page.clock.fastForward(61_000);
  await expect(page.getByText('You were signed out after a while without activity.')).toBeVisible();

  // Its auth_time is 0, so max_age=0 could not be checked: prompt=login instead.
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${glewlwyd.issuer}/auth?`));
  await page.getByRole('button', { name: 'Sign in again' }).click();
  const asked = new URL((await authorization).url()).searchParams;
  expect(asked.get('prompt')).toBe('login');
  expect(asked.has('max_age')).toBe(false);
  const glewlwydPages = new GlewlwydPages(page);
  await expect(glewlwydPages.password).toBeVisible();
  await glewlwydPages.signIn(workerUser, glewlwyd.spaOrigin);
  await expect(app.identity).toContainText(workerUser.name);
});
