// Refresh tokens rotate on every use, so a renewal whose answer is lost costs the session: the
// tab holding the renewal lock closes after its refresh reached the IdP (the old refresh token
// is spent) and before it stored the answer; the next tab has only the old token, the IdP sees
// it used twice and revokes the grant. What the app does (docs/security.md, "A renewal lost
// mid-way"): every open tab says the session ended, with "Sign in again"; unsaved input stays,
// and signing in again comes back to it. Access tokens live 4 s here.
import type { Page, Request } from '@playwright/test';
import { e2eEnv, expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { sessionLogCount, shortAccessTokensInEachTest } from './session-helpers.ts';

shortAccessTokensInEachTest(4);

const isRefresh = (request: Request) =>
  request.method() === 'POST' &&
  request.url() === `${e2eEnv.idpIssuer}/token` &&
  new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token';

/** The refresh requests a tab has sent and not yet seen answered or failed. */
function watchRefreshes(page: Page): Set<Request> {
  const inflight = new Set<Request>();
  page.on('request', (request) => {
    if (isRefresh(request)) inflight.add(request);
  });
  const settled = (request: Request) => inflight.delete(request);
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  return inflight;
}

test('the renewing tab closes before storing the answer: the old refresh token is refused as reused, every open tab says "Sign in again", drafts are kept', async ({
  context,
  page,
  idp,
  signIn,
  workerUser,
}) => {
  test.setTimeout(60_000);
  const user = workerUser.username;
  await page.goto('/contacts/new');
  await signIn(page, workerUser);
  const tabs = [page];
  for (let i = 0; i < 2; i += 1) {
    const tab = await context.newPage();
    await tab.goto('/contacts/new');
    tabs.push(tab);
  }
  // Every tab holds unsaved input: any may turn out to be the one that renews.
  const inflight = new Map(tabs.map((tab) => [tab, watchRefreshes(tab)]));
  const draftOf = (tab: Page) => `Unsaved Ada ${tabs.indexOf(tab)}`;
  for (const tab of tabs) {
    await tab.getByLabel('Name').fill(draftOf(tab));
    await tab.getByLabel('Notes').fill('typed before the session was lost');
  }
  expect((await idp.counters(user)).authorizations).toBe(1); // the others were handed the session

  // The next refresh is carried out at the IdP, and its answer held there.
  const before = await idp.counters(user);
  await idp.failTokenEndpoint(user, { kind: 'lost-answer' });
  await expect
    .poll(async () => (await idp.counters(user)).faultsServed, { timeout: 10_000 })
    .toBe(before.faultsServed + 1);
  const renewing = () => tabs.filter((tab) => (inflight.get(tab)?.size ?? 0) > 0);
  // Only the lock holder refreshes: exactly one tab is waiting for the answer.
  await expect.poll(() => renewing().length).toBe(1);
  const [closing] = renewing();
  const survivors = tabs.filter((tab) => tab !== closing);
  if (!closing) throw new Error('no renewing tab');
  const spent = (await idp.counters(user)).refreshes;
  await closing.close(); // its lock is released with it, its answer never read

  // The next renewal can only use the old refresh token: a reuse, and the grant goes.
  for (const tab of survivors) {
    const signInAgain = tab.getByRole('button', { name: 'Sign in again' });
    await expect(signInAgain).toBeVisible({ timeout: 10_000 });
    await expect(tab.getByRole('status').filter({ has: signInAgain })).toContainText(
      'Your session has ended. Anything you typed is kept.',
    );
    await expect(tab.locator('[data-session-status]')).toHaveAttribute(
      'data-session-status',
      'expired',
    );
    // Non-blocking: the form and its input are still there.
    await expect(tab.getByLabel('Name')).toHaveValue(draftOf(tab));
  }
  const counters = await idp.counters(user);
  expect(counters.refreshReuseDetected).toBe(1);
  expect(counters.refreshes).toBe(spent); // nothing was renewed after the lost answer
  // One tab used the old token; the other learnt the outcome from it, without a request.
  const failed: number[] = [];
  for (const tab of survivors) failed.push(await sessionLogCount(tab, 'renew-failed'));
  expect(failed.sort()).toEqual([0, 1]);
  const [survivor] = survivors;
  if (!survivor) throw new Error('no tab left');

  // The provider's session was not ended with the grant: one click, no password, same page.
  await survivor.getByRole('button', { name: 'Sign in again' }).click();
  await expect(survivor).toHaveURL(/\/contacts\/new$/);
  await expect(new AppPage(survivor).identity).toContainText(workerUser.name);
  await expect(survivor.locator('[data-session-status]')).toHaveAttribute(
    'data-session-status',
    /^(active|renewing)$/,
  );
  await expect(survivor.getByLabel('Name')).toHaveValue(draftOf(survivor));
  await expect(survivor.getByLabel('Notes')).toHaveValue('typed before the session was lost');
  expect((await idp.counters(user)).codeExchanges).toBe(before.codeExchanges + 1);
});
