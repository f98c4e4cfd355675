// Key rotation during a session: the next renewal brings an ID token signed with a key the
// app has not seen; it refetches the provider's keys once and the user stays signed in.
// Global (rotation affects everyone): runs in the global-controls project.
import { decodeProtectedHeader } from 'jose';
import { storedUser } from './app-session.ts';
import { expect, test } from './fixtures.ts';

test.afterEach(async ({ idp }) => {
  await idp.resetAll();
});

test('rotating the signing key during a session does not sign the user out', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  const idToken = async () => (await storedUser(page))?.id_token ?? '';
  await page.clock.install();
  await idp.resetUser(workerUser.username);
  await signIn(page, workerUser);
  const oldKid = decodeProtectedHeader(await idToken()).kid;

  const { kids } = await idp.rotateKeys({ keepOld: false });
  expect(kids).not.toContain(oldKid);
  await page.clock.fastForward(Number(process.env.E2E_ACCESS_TOKEN_TTL ?? 120) * 1000);

  await expect.poll(async () => (await idp.counters(workerUser.username)).refreshes).toBe(1);
  // The refreshed ID token is signed with the new key, unseen by the app until now.
  await expect.poll(async () => decodeProtectedHeader(await idToken()).kid).toBe(kids[0]);
  await expect(app.identity).toContainText(workerUser.name);
  // And the contacts still load with the new access token.
  await page.reload();
  await expect(app.contactNames.first()).toBeVisible();
});
