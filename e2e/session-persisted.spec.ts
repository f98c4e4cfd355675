// A DPoP-bound session is kept across reloads (IndexedDB), but not for ever: once the
// configured lifetime (options.sessionLifetimeHours, 8 by default) has passed since sign-in,
// the next page load deletes it unused.
import type { Request } from '@playwright/test';
import { leftoverSessionRecords } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';

const refreshGrant = (request: Request) =>
  request.url() === `${e2eEnv.idpIssuer}/token` &&
  (request.postData() ?? '').includes('grant_type=refresh_token');

test('a session kept across reloads is deleted unused once its lifetime has passed', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await signIn(page, workerUser);
  await expect(app.identity).toContainText(workerUser.name);
  // What someone at this device would find: the bound refresh token, kept for the next visit.
  await expect
    .poll(() => leftoverSessionRecords(page))
    .toContainEqual({ active: true, refreshToken: true });

  // Every tab closed, and the provider's session cookie gone: nothing else can sign in.
  const context = page.context();
  await page.close();
  await context.clearCookies();
  const later = await context.newPage();
  await later.clock.install({ time: Date.now() + 9 * 3_600_000 });
  const refreshes: string[] = [];
  later.on('request', (request) => {
    if (refreshGrant(request)) refreshes.push(request.url());
  });
  await later.goto('/');
  await expect(later.getByRole('button', { name: /^Sign in( with .+)?$/ }).first()).toBeVisible();
  expect(await leftoverSessionRecords(later)).not.toContainEqual(
    expect.objectContaining({ refreshToken: true }),
  );
  expect(refreshes).toEqual([]);
});
