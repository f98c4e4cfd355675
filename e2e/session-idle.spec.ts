// Optional idle timeout (config `idleTimeoutMinutes`, set to 1 minute for this context only):
// a countdown dialog offers to stay signed in, and at zero the session ends for real, in
// every tab: the refresh token is revoked at the IdP, the tokens are gone, the reason shown.

import type { Locator, Page } from '@playwright/test';
import { leftoverSessionRecords } from './app-session.ts';
import { expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { IdpConsentPage, IdpLoginPage } from './pages/idp-pages.ts';
import { rewriteConfig, withIdleTimeout } from './runtime-config.ts';

test('activity in either tab keeps both alive; after a minute without any a countdown dialog appears in both; ignored, the session ends in every tab, the IdP revokes the refresh token and no tab renews again', async ({
  page,
  context,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await rewriteConfig(context, withIdleTimeout(1));
  // Every token request of both tabs, from the first one on, and whether the session had
  // ended when it was sent.
  let ended = false;
  const tokenRequests: { tab: string; afterEnd: boolean }[] = [];
  const recordTokenRequests = (tab: Page, name: string) =>
    tab.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${idp.issuer}/token`) {
        tokenRequests.push({ tab: name, afterEnd: ended });
      }
    });
  recordTokenRequests(page, 'first');
  // The context's clock: every tab's timers and Date move together.
  await context.clock.install();
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const other = await context.newPage();
  recordTokenRequests(other, 'second');
  await other.goto('/contacts');
  await expect(new AppPage(other).identity).toContainText(workerUser.name);
  const tabs = [page, other];
  const clocks = () => Promise.all(tabs.map((tab) => tab.evaluate(() => Date.now())));
  const dialogOf = (tab: Page) => tab.getByRole('dialog', { name: 'Are you still there?' });
  const expectEach = async (check: (dialog: Locator, tab: Page) => Promise<void>) => {
    for (const tab of tabs) await check(dialogOf(tab), tab);
  };

  const startedAt = await clocks();
  await context.clock.fastForward(30_000);
  const movedBy = (await clocks()).map((time, index) => time - (startedAt[index] ?? 0));
  for (const moved of movedBy) expect(moved).toBeGreaterThanOrEqual(30_000);
  // The only input, in the second tab: the first tab's idle time restarts too.
  await other.keyboard.press('Shift');
  await context.clock.fastForward(30_000);
  // A minute since the first tab's own last input, half a minute since the second's.
  await expectEach(async (dialog, tab) => {
    await expect(new AppPage(tab).identity).toContainText(workerUser.name);
    await expect(dialog).toBeHidden();
  });

  await context.clock.fastForward(20_000);
  await expectEach(async (dialog) => {
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('timer')).toHaveText(/^\d+ seconds$/);
  });
  await expect(dialogOf(page).getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await page.keyboard.press('Enter'); // the focused "Stay signed in", in the first tab
  await expectEach((dialog) => expect(dialog).toBeHidden());
  expect((await idp.counters(workerUser.username)).revocations).toBe(0);

  await context.clock.fastForward(50_000);
  await expectEach((dialog) => expect(dialog).toBeVisible());
  await context.clock.fastForward(11_000);
  await expectEach(async (dialog, tab) => {
    await expect(dialog).toBeHidden();
    await expect(
      tab.getByText('You were signed out after a while without activity.'),
    ).toBeVisible();
    // The tokens are gone from every tab: the header no longer shows an account.
    await expect(new AppPage(tab).identity).toBeHidden();
    await expect(tab.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  });
  ended = true;
  // The IdP saw the refresh token revoked (once: the tabs agreed under the renewal lock).
  expect((await idp.counters(workerUser.username)).revocations).toBe(1);
  // Positive control: the watch saw this session's token requests (the code exchange, and
  // the renewal its two-minute token needed along the way).
  expect(tokenRequests.length).toBeGreaterThanOrEqual(2);
  // Nothing renews a session that ended on purpose, in either tab.
  await context.clock.fastForward(130_000);
  await expectEach((_dialog, tab) => expect(new AppPage(tab).identity).toBeHidden());
  expect(tokenRequests.filter((request) => request.afterEnd)).toEqual([]);
});

test('after an idle timeout the contacts leave the screen, and signing in again asks for the password although the provider still has a session', async ({
  page,
  context,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await rewriteConfig(context, withIdleTimeout(1));
  await page.clock.install();
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(app.contactNames.first()).toBeVisible();

  await page.clock.fastForward(61_000);
  await expect(page.getByText('You were signed out after a while without activity.')).toBeVisible();
  await expect(app.contactNames).toHaveCount(0);

  // The provider's session (its cookie) is still there; a plain sign-in would come back at
  // once. This one must show the provider's login page, then return to the same page.
  const authorization = page.waitForRequest((request) =>
    request.url().startsWith(`${idp.issuer}/auth?`),
  );
  await page.getByRole('button', { name: 'Sign in again' }).click();
  expect(new URL((await authorization).url()).searchParams.get('max_age')).toBe('0');
  const login = new IdpLoginPage(page);
  await expect(login.heading).toBeVisible();
  await login.signIn(workerUser);
  const consent = new IdpConsentPage(page);
  await expect(consent.heading.or(app.contactNames.first()).first()).toBeVisible();
  if (await consent.heading.isVisible()) await consent.allow.click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(app.contactNames.first()).toBeVisible();
});

test('an app opened again after its idle deadline is signed out: the kept session is revoked, never used', async ({
  page,
  context,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await rewriteConfig(context, withIdleTimeout(1));
  await signIn(page, workerUser);
  await expect(new AppPage(page).identity).toContainText(workerUser.name);
  // Positive control: the bound refresh token is kept for the next visit.
  await expect
    .poll(() => leftoverSessionRecords(page))
    .toContainEqual({ active: true, refreshToken: true });
  await page.close();

  const later = await context.newPage();
  await later.clock.install({ time: Date.now() + 2 * 60_000 });
  const refreshes: string[] = [];
  later.on('request', (request) => {
    const refresh = (request.postData() ?? '').includes('grant_type=refresh_token');
    if (request.url() === `${idp.issuer}/token` && refresh) refreshes.push(request.url());
  });
  await later.goto('/');
  await expect(
    later.getByText('You were signed out after a while without activity.'),
  ).toBeVisible();
  await expect(new AppPage(later).identity).toBeHidden();
  expect(refreshes).toEqual([]);
  await expect.poll(async () => (await idp.counters(workerUser.username)).revocations).toBe(1);
  expect(await leftoverSessionRecords(later)).toEqual([]);
});
