// Renewals follow the page's monotonic clock: a device clock that jumps, or a tab that
// sleeps in the background past expiry, neither renews early nor fails. Access tokens live
// 4 s here (a per-user IdP control); the page clock is Playwright's.
import { expect, test } from './fixtures.ts';
import { sessionLogCount, shortAccessTokensInEachTest } from './session-helpers.ts';

const TOKEN_SECONDS = 4;
const RENEW_EVERY_MS = TOKEN_SECONDS * 700;

shortAccessTokensInEachTest(TOKEN_SECONDS);

for (const minutes of [10, -10]) {
  test(`the page clock jumps ${minutes > 0 ? '+' : '−'}10 minutes mid-session: renewals stay on time, one refresh each`, async ({
    page,
    app,
    idp,
    signIn,
    workerUser,
  }) => {
    await page.clock.install();
    await page.goto('/contacts');
    await signIn(page, workerUser);
    const refreshes = async () => (await idp.counters(workerUser.username)).refreshes;
    await expect.poll(refreshes).toBe(1);

    const jumpedAt = Date.now();
    await page.clock.setSystemTime((await page.evaluate(() => Date.now())) + minutes * 60_000);
    await expect.poll(refreshes, { timeout: 15_000 }).toBe(3);
    // Two renewals after the jump: neither early (a wall-clock schedule renews at once after
    // +10 min) nor late (after −10 min it would wait ten minutes).
    expect(Date.now() - jumpedAt).toBeGreaterThan(RENEW_EVERY_MS);

    const counters = await idp.counters(workerUser.username);
    expect(counters.tokenErrors).toBe(0);
    expect(counters.refreshReuseDetected).toBe(0);
    expect(await sessionLogCount(page, 'renewed')).toBe(counters.refreshes);
    await page.getByRole('link', { name: 'Your contacts' }).click();
    await expect(app.contactNames.first()).toBeVisible();
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
