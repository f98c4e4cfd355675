// Optional idle timeout (config `idleTimeoutMinutes`, set to 1 minute for this context only):
// a countdown dialog offers to stay signed in, and at zero the session ends for real, in
// every tab: the refresh token is revoked at the IdP, the tokens are gone, the reason shown.

import { expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
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
