// When renewal fails: a short outage is ridden out quietly, a long one or a revoked grant
// ends the session with a non-blocking notice, and signing in again brings the user back to
// the same place. Access tokens are short here (a per-user IdP control).
import type { Page } from '@playwright/test';
import { e2eEnv, expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { sessionLogCount } from './session-helpers.ts';

const tokenEndpoint = `${e2eEnv.idpIssuer}/token`;
const takeTokenEndpointDown = (page: Page) =>
  page.route(tokenEndpoint, (route) => route.abort('connectionrefused'));
const signInAgain = (page: Page) => page.getByRole('button', { name: 'Sign in again' });
const status = (page: Page) => page.locator('[data-session-status]');

test.afterEach(async ({ idp, workerUser }) => {
  await idp.resetUser(workerUser.username);
});

test('token endpoint down longer than the renewal margin, shorter than the token lifetime: recovers with no notice', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 10); // renewed at 7 s: a 3 s margin
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const downAt = Date.now();
  await takeTokenEndpointDown(page);

  // The scheduled renewal fails (network) and is retried while the token still works.
  await expect
    .poll(() => sessionLogCount(page, 'renew-failed'), { timeout: 15_000 })
    .toBeGreaterThan(0);
  expect(Date.now() - downAt).toBeGreaterThan(3_000); // longer than the margin
  await page.unroute(tokenEndpoint);

  await expect.poll(async () => (await idp.counters(workerUser.username)).refreshes).toBe(1);
  await expect(status(page)).toHaveAttribute('data-session-status', 'active');
  await app.page.getByRole('link', { name: 'Your contacts' }).click();
  await expect(app.contactNames.first()).toBeVisible();
  await expect(signInAgain(page)).toHaveCount(0);
  await expect(app.alert).toHaveCount(0);
  expect(await page.locator('.session-log li', { hasText: 'expired' }).count()).toBe(0);
});

test('token endpoint down past expiry: a notice, then signing in again returns to the same page', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 4);
  await page.goto('/account');
  await signIn(page, workerUser);
  await expect(page).toHaveURL(/\/account$/);
  await takeTokenEndpointDown(page);

  await expect(signInAgain(page)).toBeVisible({ timeout: 15_000 });
  await expect(status(page)).toHaveAttribute('data-session-status', 'expired');
  // Non-blocking: the page is still there.
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  await page.unroute(tokenEndpoint);
  await signInAgain(page).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(app.identity).toContainText(workerUser.name);
  await expect(status(page)).toHaveAttribute('data-session-status', 'active');
  await expect(signInAgain(page)).toHaveCount(0);
});

test('a grant revoked at the IdP: every tab shows the notice within one renewal', async ({
  context,
  page,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 4);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const second = await context.newPage();
  await second.goto('/contacts');
  await expect(new AppPage(second).contactNames.first()).toBeVisible();

  await idp.revokeUser(workerUser.username);
  // Read once the grant is gone: a renewal may have happened while the second tab opened
  // (4 s tokens), or even be answered while the revocation runs. None may succeed after.
  const refreshesBefore = (await idp.counters(workerUser.username)).refreshes;

  // The next renewal is due within 2.8 s of the last token (70 % of 4 s).
  for (const tab of [page, second]) await expect(signInAgain(tab)).toBeVisible({ timeout: 5_000 });
  const counters = await idp.counters(workerUser.username);
  expect(counters.refreshes).toBe(refreshesBefore);
  expect(counters.refreshReuseDetected).toBe(0);
  // One tab asked the IdP; the other learnt the outcome from that tab.
  const failed = [
    await sessionLogCount(page, 'renew-failed'),
    await sessionLogCount(second, 'renew-failed'),
  ];
  expect(failed.sort()).toEqual([0, 1]);
});
