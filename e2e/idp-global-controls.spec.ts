// Controls global to the IdP (key rotation, clock). playwright.config.ts runs this file in
// its own project, after every other spec, so no parallel test sees their effects; serial
// within, and each test puts things back.
import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { storedUser } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';

test.describe.configure({ mode: 'serial' });

const jwksKids = async () =>
  ((await (await fetch(new URL('/jwks', e2eEnv.idpIssuer))).json()) as JSONWebKeySet).keys.map(
    (key) => key.kid,
  );
const storedIdToken = async (page: import('@playwright/test').Page) =>
  (await storedUser(page))?.id_token ?? '';

test.afterEach(async ({ idp }) => {
  await idp.resetAll();
});

test('key rotation keeping the old keys: signed-in sessions keep working, new tokens use the new key', async ({
  page,
  browser,
  app,
  api,
  idp,
  signIn,
  workerUser,
}) => {
  await signIn(page, workerUser);
  const oldKid = decodeProtectedHeader(await storedIdToken(page)).kid;
  // An access token from before the rotation, kept with its DPoP key for after it. Not sent
  // yet: the API keeps verified tokens (token-cache.ts), so its signature would never be
  // checked again after the rotation.
  const before = await api(workerUser);
  const oldTokenKid = decodeProtectedHeader(before.accessToken).kid;
  const { kids } = await idp.rotateKeys({ keepOld: true });
  expect(await jwksKids()).toEqual(kids);
  expect(kids).toContain(oldKid);
  expect(kids).toContain(oldTokenKid);

  // A token signed with the new key makes the API fetch the provider's keys again...
  const after = await api(workerUser);
  const newTokenKid = decodeProtectedHeader(after.accessToken).kid;
  expect(newTokenKid).toBe(kids[0]);
  expect(newTokenKid).not.toBe(oldTokenKid);
  expect((await after.listContacts()).status).toBe(200);
  // ...and the old access token, checked for the first time, verifies against that set.
  const old = await before.listContacts();
  expect(old.headers.get('www-authenticate')).toBeNull();
  expect(old.status).toBe(200);
  // The signed-in tab keeps working too.
  await page.reload();
  await expect(app.contactNames.first()).toBeVisible();

  const context = await browser.newContext();
  try {
    const second = await context.newPage();
    await signIn(second, workerUser);
    const newKid = decodeProtectedHeader(await storedIdToken(second)).kid;
    expect(newKid).not.toBe(oldKid);
    expect(kids[0]).toBe(newKid);
  } finally {
    await context.close();
  }
});

test('a provider signing with a new key right after the app read its keys: sign-in goes through', async ({
  page,
  app,
  idp,
  signIn,
  workerUser,
}) => {
  const { lastSeq } = await idp.allLog();
  // The app's early read of the keys (on the callback page) gets the set from before.
  const { kids } = await idp.rotateKeys({ keepOld: true, staleJwksReads: 1 });
  await signIn(page, workerUser);
  await expect(app.identity).toContainText(workerUser.name);
  expect(decodeProtectedHeader(await storedIdToken(page)).kid).toBe(kids[0]);
  const { entries } = await idp.allLog({ since: lastSeq });
  expect(entries.filter((entry) => entry.event === 'fault:stale-jwks')).toHaveLength(1);
});

test('key rotation dropping the old keys: they leave the JWKS, sign-in still works', async ({
  page,
  idp,
  signIn,
  workerUser,
}) => {
  const before = await jwksKids();
  const { kids } = await idp.rotateKeys({ keepOld: false });
  expect(kids.some((kid) => before.includes(kid))).toBe(false);
  await signIn(page, workerUser);
  expect(kids).toContain(decodeProtectedHeader(await storedIdToken(page)).kid);
});

test("shifting the IdP's clock moves the times it stamps", async ({
  page,
  idp,
  signIn,
  workerUser,
}) => {
  // Small enough for any verifier's clock tolerance, so the app still signs in.
  await idp.shiftClock(60);
  await signIn(page, workerUser);
  const iat = decodeJwt(await storedIdToken(page)).iat ?? 0;
  expect(iat).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 50);
  expect(await idp.allLog()).toMatchObject({
    entries: expect.arrayContaining([expect.objectContaining({ event: 'clock-shift' })]),
  });
});

// Key rotation during a session: the next renewal brings an ID token signed with a key the
// app has not seen; it refetches the provider's keys once and the user stays signed in.
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
