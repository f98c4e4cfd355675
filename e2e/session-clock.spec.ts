// Renewals follow the page's monotonic clock: a device clock that jumps, or a tab that
// sleeps in the background past expiry, neither renews early nor fails. Access tokens live
// 4 s here (a per-user IdP control); the page clock is Playwright's.
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { sessionLogCount, sessionStatus, shortAccessTokensInEachTest } from './session-helpers.ts';

const TOKEN_SECONDS = 4;
/** A token is renewed once 70 % of its life is used (src/session/renewal-timing.ts). */
const RENEW_AFTER_MS = TOKEN_SECONDS * 700;

shortAccessTokensInEachTest(TOKEN_SECONDS);

/**
 * The refreshes the page sends to the IdP's token endpoint, those answered with tokens, and
 * how many are unanswered. A clock ten minutes off makes the IdP ask for a DPoP nonce once
 * (400 use_dpop_nonce, then the same refresh again): sent, not granted.
 */
function watchRefreshes(page: Page, issuer: string) {
  const sent: string[] = [];
  const granted: string[] = [];
  let inFlight = 0;
  const isRefresh = (request: Request) =>
    request.method() === 'POST' &&
    request.url() === `${issuer}/token` &&
    (request.postData() ?? '').includes('grant_type=refresh_token');
  page.on('request', (request) => {
    if (!isRefresh(request)) return;
    sent.push(request.url());
    inFlight += 1;
  });
  page.on('requestfinished', async (request) => {
    if (!isRefresh(request)) return;
    if ((await request.response())?.status() === 200) granted.push(request.url());
    inFlight -= 1;
  });
  page.on('requestfailed', (request) => {
    if (isRefresh(request)) inFlight -= 1;
  });
  return { sent, granted, inFlight: () => inFlight };
}

for (const minutes of [10, -10]) {
  test(`the page clock jumps ${minutes > 0 ? '+' : '−'}10 minutes mid-session: the next renewal comes neither early nor late, once`, async ({
    page,
    app,
    idp,
    signIn,
    workerUser,
  }) => {
    const refreshes = watchRefreshes(page, idp.issuer);
    const renewed = () => sessionLogCount(page, 'renewed');
    await page.clock.install();
    await page.goto('/contacts');
    await signIn(page, workerUser);
    await expect(app.contactNames.first()).toBeVisible();

    // The test owns time from here: no timer runs unless the clock is moved. A renewal
    // already under way is let finish, then one falls due within a token's 70 %; it is
    // answered while the clock stands still, so the new token's schedule starts at a known
    // instant.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
    await expect.poll(() => sessionStatus(page)).toBe('active');
    await expect.poll(refreshes.inFlight).toBe(0);
    const before = await renewed();
    await page.clock.runFor(RENEW_AFTER_MS + 100);
    await expect.poll(renewed).toBe(before + 1);
    const sentBeforeJump = refreshes.sent.length;
    const grantedBeforeJump = refreshes.granted.length;

    await page.clock.setSystemTime((await page.evaluate(() => Date.now())) + minutes * 60_000);
    // Everything that looks again at once: the tab shown again, back online, an API call.
    await page.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event('online'));
    });
    await page.getByRole('link', { name: 'Your contacts' }).click();
    await expect(app.contactNames.first()).toBeVisible();
    // Not early: a wall-clock schedule sees a token ten minutes old and renews now (+10 min).
    await page.clock.runFor(RENEW_AFTER_MS - 600);
    expect(await renewed()).toBe(before + 1);
    expect(refreshes.sent.length).toBe(sentBeforeJump);

    // On time: 70 % of the token's life after it arrived, whatever the wall clock says. A
    // wall-clock schedule would wait ten more minutes (−10 min).
    await page.clock.runFor(1_000);
    await expect.poll(renewed).toBe(before + 2);
    await expect.poll(refreshes.inFlight).toBe(0);
    expect(refreshes.granted.length).toBe(grantedBeforeJump + 1);

    const counters = await idp.counters(workerUser.username);
    expect(counters.tokenErrors).toBe(0);
    expect(counters.refreshReuseDetected).toBe(0);
    expect(refreshes.granted.length).toBe(counters.refreshes);
    expect(await renewed()).toBe(counters.refreshes);
    await expect(app.alert).toHaveCount(0);
  });
}

test('a hidden tab resumed past expiry renews once and shows no error', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await page.clock.install();
  await page.goto('/contacts');
  await signIn(page, workerUser);

  // The tab goes to the background and the computer sleeps: no timer runs in the page.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  // pauseAt needs a time still ahead when the call lands: a loaded machine takes hundreds
  // of ms between reading the page's clock and pausing it.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
  // Normally 0; under heavy load one renewal may have fallen due before the pause.
  const before = (await idp.counters(workerUser.username)).refreshes;
  expect(before).toBeLessThanOrEqual(1);

  // The computer wakes twice the token lifetime later, and the tab is shown again.
  await page.clock.fastForward(TOKEN_SECONDS * 2_000);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => 'visible',
    });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
  });
  await page.clock.resume();

  await expect
    .poll(async () => (await idp.counters(workerUser.username)).refreshes)
    .toBe(before + 1);
  await page.getByRole('link', { name: 'Your contacts' }).click();
  await expect(app.contactNames.first()).toBeVisible();
  await expect(app.alert).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in again' })).toHaveCount(0);
  expect((await idp.counters(workerUser.username)).refreshes).toBe(before + 1);
});
