// Many tabs, one session: new tabs take the session from the others (no trip to the IdP),
// one tab renews at a time and the others adopt the result, and signing out anywhere signs
// out everywhere. Access tokens live 4 s here (a per-user IdP control).
import { expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import {
  sessionLogCount,
  shortAccessTokensInEachTest,
  watchApiFailures,
} from './session-helpers.ts';

const TOKEN_SECONDS = 4;

shortAccessTokensInEachTest(TOKEN_SECONDS);

test('three tabs with continuous API traffic through ten renewals: no failed call, no refresh-token reuse, one refresh per renewal', async ({
  context,
  page,
  signIn,
  idp,
  workerUser,
}) => {
  test.setTimeout(120_000);
  const failures = watchApiFailures(page);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  // Renewals count from the first token on: opening the other tabs may already take one.
  const started = Date.now();
  const tabs = [page];
  for (let i = 0; i < 2; i += 1) {
    const tab = await context.newPage();
    watchApiFailures(tab, failures);
    await tab.goto('/contacts');
    await expect(new AppPage(tab).contactNames.first()).toBeVisible();
    tabs.push(tab);
  }
  // The new tabs were signed in by the first one, not by the provider.
  expect((await idp.counters(workerUser.username)).authorizations).toBe(1);

  // Continuous traffic: every tab reloads its contacts (a fresh API call) in turn.
  while ((await idp.counters(workerUser.username)).refreshes < 10) {
    for (const tab of tabs) {
      // dispatchEvent: a click waits for animation frames, which only the front tab gets.
      await tab.getByRole('link', { name: 'Your contacts' }).dispatchEvent('click');
      await expect(new AppPage(tab).contactNames.first()).toBeVisible();
      await expect(new AppPage(tab).alert).toHaveCount(0);
    }
  }
  const elapsedMs = Date.now() - started;

  const counters = await idp.counters(workerUser.username);
  expect(counters.refreshReuseDetected).toBe(0);
  expect(counters.tokenErrors).toBe(0);
  let renewed = 0;
  for (const tab of tabs) renewed += await sessionLogCount(tab, 'renewed');
  // One refresh request per renewal, across all tabs ...
  expect(counters.refreshes).toBe(renewed);
  // ... and at most one renewal per token lifetime (one more for the one under way).
  expect(counters.refreshes).toBeLessThanOrEqual(Math.ceil(elapsedMs / (TOKEN_SECONDS * 700)) + 1);
  expect(failures).toEqual([]);
});

test('signing out in one tab signs out every tab within a second', async ({
  context,
  page,
  signIn,
  workerUser,
}) => {
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const second = await context.newPage();
  await second.goto('/contacts');
  await expect(new AppPage(second).identity).toContainText(workerUser.name);

  await new AppPage(second).signOut.click();

  await expect(new AppPage(page).identity).toHaveCount(0, { timeout: 1_000 });
  await expect(new AppPage(page).signIn).toBeVisible();
});
