// Every renewed ID token is validated like the first one, and must describe the same
// authentication (OpenID Connect Core 12.2). Renewal is brought forward with Playwright's
// clock instead of waiting for the access token to expire.
import type { Page } from '@playwright/test';
import { storedUser } from './app-session.ts';
import { expect, test } from './fixtures.ts';

/** Moves the page's clock past the renewal point of the current access token. */
async function bringRenewalForward(page: Page) {
  const ttl = Number(process.env.E2E_ACCESS_TOKEN_TTL ?? 120);
  await page.clock.fastForward(ttl * 1000);
}

test('a renewal keeps the session with new tokens', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await page.clock.install();
  await idp.resetUser(workerUser.username);
  await signIn(page, workerUser);
  const before = await storedUser(page);

  await bringRenewalForward(page);

  await expect.poll(async () => (await idp.counters(workerUser.username)).refreshes).toBe(1);
  // Compared without printing: a failed assertion must not put a token in the report.
  await expect
    .poll(async () => (await storedUser(page))?.access_token === before?.access_token)
    .toBe(false);
  await expect(app.identity).toContainText(workerUser.name);
  await page.reload();
  await expect(app.contactNames.first()).toBeVisible();
});

test('a renewal that brings an ID token for another user ends the session', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  await page.clock.install();
  await idp.resetUser(workerUser.username);
  await signIn(page, workerUser);
  await idp.nextIdToken(workerUser.username, 'different-sub');

  await bringRenewalForward(page);

  await expect.poll(async () => (await idp.counters(workerUser.username)).faultsServed).toBe(1);
  await expect(app.identity).toHaveCount(0);
});
