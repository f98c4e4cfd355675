// Optional idle timeout (config `idleTimeoutMinutes`, set to 1 minute for this context only):
// a countdown dialog offers to stay signed in, and at zero the session ends for real, in
// every tab: the refresh token is revoked at the IdP, the tokens are gone, the reason shown.

import { leftoverSessionRecords } from './app-session.ts';
import { expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { IdpConsentPage, IdpLoginPage } from './pages/idp-pages.ts';
import { rewriteConfig, withIdleTimeout } from './runtime-config.ts';

test('after a minute without activity a countdown dialog appears; ignored, the session ends in every tab and the IdP revokes the refresh token', async ({
  page,
  context,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await rewriteConfig(context, withIdleTimeout(1));
  await page.clock.install();
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const other = await context.newPage();
  await other.goto('/contacts');
  await expect(new AppPage(other).identity).toContainText(workerUser.name);
  const tokenRequestsAfterEnd: string[] = [];

  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  const stay = dialog.getByRole('button', { name: 'Stay signed in' });
  // The last input: idle time counts on the wall clock too, so the seconds the steps above
  // took (real time flows under Playwright's clock) count unless the user acts now.
  await page.keyboard.press('Shift');
  await page.clock.fastForward(50_000);
  await expect(dialog).toBeVisible();
  await expect(stay).toBeFocused();
  await expect(dialog.getByRole('timer')).toHaveText(/^\d+ seconds$/);
  await page.keyboard.press('Enter'); // the focused "Stay signed in"
  await expect(dialog).toBeHidden();
  expect((await idp.counters(workerUser.username)).revocations).toBe(0);

  await page.clock.fastForward(50_000);
  await expect(dialog).toBeVisible();
  await page.clock.fastForward(11_000);
  await expect(dialog).toBeHidden();
  for (const tab of [page, other]) {
    await expect(
      tab.getByText('You were signed out after a while without activity.'),
    ).toBeVisible();
    // The tokens are gone from every tab: the header no longer shows an account.
    await expect(new AppPage(tab).identity).toBeHidden();
    await expect(tab.getByRole('button', { name: 'Sign in again' })).toBeVisible();
    tab.on('request', (request) => {
      if (request.url().startsWith(`${idp.issuer}/token`))
        tokenRequestsAfterEnd.push(request.url());
    });
  }
  // The IdP saw the refresh token revoked (once: the tabs agreed under the renewal lock).
  expect((await idp.counters(workerUser.username)).revocations).toBe(1);
  // Nothing renews a session that ended on purpose.
  await page.clock.fastForward(130_000);
  expect(tokenRequestsAfterEnd).toEqual([]);
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
