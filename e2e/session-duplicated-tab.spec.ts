// "Duplicate tab" in Chromium copies the tab's sessionStorage into the new tab (and nothing
// of its memory). The refresh token lives in tab memory and, DPoP-bound, in IndexedDB (one
// copy per origin, not per tab), so a duplicate must not fork it: both tabs keep renewing
// one session, and the IdP never sees a refresh token used twice. Tokens live 4 s here.
import { expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import {
  sessionLogCount,
  shortAccessTokensInEachTest,
  watchApiFailures,
} from './session-helpers.ts';

shortAccessTokensInEachTest(4);

test('a duplicated tab shares the session instead of forking the refresh token; both tabs keep working', async ({
  context,
  page,
  signIn,
  idp,
  workerUser,
}) => {
  test.setTimeout(60_000);
  const failures = watchApiFailures(page);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(new AppPage(page).contactNames.first()).toBeVisible();
  // Something of the tab's own in sessionStorage (a draft) shows the copy really happened.
  await page.goto('/contacts/new');
  await page.getByLabel('Name').fill('Typed in the original tab');
  const copied = await page.evaluate(() => Object.entries(sessionStorage));
  expect(copied.length).toBeGreaterThan(0);

  // What duplication does: a new tab, its sessionStorage a copy, opening the same address.
  const duplicate = await context.newPage();
  watchApiFailures(duplicate, failures);
  await duplicate.addInitScript((entries: [string, string][]) => {
    if (sessionStorage.length > 0) return; // copied once, at creation, not on every load
    for (const [key, value] of entries) sessionStorage.setItem(key, value);
  }, copied);
  await duplicate.goto(page.url());
  await expect(duplicate.getByLabel('Name')).toHaveValue('Typed in the original tab');
  expect((await idp.counters(workerUser.username)).authorizations).toBe(1); // no new sign-in

  // Renewals with traffic in both tabs: each reloads its contacts in turn.
  const tabs = [page, duplicate];
  while ((await idp.counters(workerUser.username)).refreshes < 4) {
    for (const tab of tabs) {
      // dispatchEvent: a click waits for animation frames, which only the front tab gets.
      await tab.getByRole('link', { name: 'Your contacts' }).dispatchEvent('click');
      await expect(new AppPage(tab).contactNames.first()).toBeVisible();
      await expect(new AppPage(tab).alert).toHaveCount(0);
    }
  }
  const counters = await idp.counters(workerUser.username);
  expect(counters.refreshReuseDetected).toBe(0);
  expect(counters.tokenErrors).toBe(0);
  let renewed = 0;
  for (const tab of tabs) {
    renewed += await sessionLogCount(tab, 'renewed');
    await expect(tab.getByRole('button', { name: 'Sign in again' })).toHaveCount(0);
    await expect(tab.locator('[data-session-status]')).toHaveAttribute(
      'data-session-status',
      /^(active|renewing)$/,
    );
  }
  expect(counters.refreshes).toBe(renewed); // one refresh per renewal, across both tabs
  // The duplicate took the session from the original tab (handed over, not copied).
  expect(await sessionLogCount(duplicate, 'adopted')).toBeGreaterThan(0);
  expect(failures).toEqual([]);
});
