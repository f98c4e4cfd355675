// Tokens copied out of the browser are useless elsewhere: the access token, the refresh
// token and the authorization code are bound to the app's non-extractable DPoP key, so a
// replay from Node fails, with or without a proof signed by the thief's own key, while the
// same token still works in the browser.
import { decodeJwt } from 'jose';
import { createDpopKey, createProof } from '../servers/dpop-test-proofs.ts';
import { CLIENT_ID } from '../servers/idp/configuration.ts';
import { tokenRequest } from '../servers/idp/test-client.ts';
import { storedUser } from './app-session.ts';
import { attemptSignIn, e2eEnv, expect, test } from './fixtures.ts';

test.skip(({ browserName }) => browserName !== 'chromium');

const contactsUrl = `${e2eEnv.apiUrl}/contacts`;
const tokenUrl = `${e2eEnv.idpIssuer}/token`;
const thiefProof = async (options: { htm: string; htu: string; token?: string }) =>
  createProof(await createDpopKey(), options);

test('a stolen access token is refused outside the browser while it is live inside it', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const token = (await storedUser(page))?.access_token ?? '';
  const { exp, cnf } = decodeJwt(token);
  expect(cnf).toHaveProperty('jkt');

  // As a plain bearer token: a downgrade, refused for the binding.
  const asBearer = await fetch(contactsUrl, { headers: { authorization: `Bearer ${token}` } });
  expect(asBearer.status).toBe(401);
  expect(asBearer.headers.get('www-authenticate')).toMatch(
    /^DPoP .*error="invalid_token".*bound to a key/,
  );
  // With a well-formed proof signed by the thief's own key: not the key it is bound to.
  const forged = await fetch(contactsUrl, {
    headers: {
      authorization: `DPoP ${token}`,
      dpop: await thiefProof({ htm: 'GET', htu: contactsUrl, token }),
    },
  });
  expect(forged.status).toBe(401);
  expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  expect(((await forged.json()) as { detail: string }).detail).toMatch(/another key/);
  // ... and without any proof.
  const bare = await fetch(contactsUrl, { headers: { authorization: `DPoP ${token}` } });
  expect(bare.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);

  // The token was live all along: not refused for expiry, and the app still uses it.
  expect((exp ?? 0) * 1000).toBeGreaterThan(Date.now() + 5_000);
  await page.getByRole('link', { name: 'Your contacts' }).click();
  await expect(app.contactNames.first()).toBeVisible();
});

test('a stolen refresh token is refused outside the browser while it still renews inside', async ({
  page,
  idp,
  signIn,
  workerUser,
}) => {
  // Short access tokens, so the app's next renewal uses the very refresh token stolen here.
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 10);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  const refreshToken = (await storedUser(page))?.refresh_token ?? '';
  expect(refreshToken).not.toBe('');
  const params = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID };
  // The app's own renewal with that token, whenever it comes.
  const appRenewal = page.waitForResponse(
    (response) =>
      response.url() === tokenUrl &&
      new URLSearchParams(response.request().postData() ?? '').get('refresh_token') ===
        refreshToken,
    { timeout: 15_000 },
  );

  const withoutProof = await tokenRequest(e2eEnv.idpIssuer, e2eEnv.spaOrigin, params);
  expect(withoutProof.status).toBe(400);
  expect(withoutProof.body.access_token).toBeUndefined();
  const forged = await tokenRequest(e2eEnv.idpIssuer, e2eEnv.spaOrigin, params, {
    dpop: await thiefProof({ htm: 'POST', htu: tokenUrl }),
  });
  expect(forged.status).toBe(400);
  expect(forged.body.access_token).toBeUndefined();
  // Unspent while the thief tried: refresh tokens rotate on every use.
  expect((await idp.counters(workerUser.username)).refreshes).toBe(0);

  // Refused for the binding, not because it was dead: the app renews with it afterwards, and
  // gets the next one (rotation); the thief's attempts counted as no reuse.
  expect((await appRenewal).status()).toBe(200);
  await expect.poll(async () => (await storedUser(page))?.refresh_token).not.toBe(refreshToken);
  expect(await idp.counters(workerUser.username)).toMatchObject({
    refreshes: 1,
    refreshReuseDetected: 0,
  });
  await idp.resetUser(workerUser.username);
});

test('a stolen authorization code (with its PKCE verifier) is refused outside the browser', async ({
  page,
  app,
  idp,
  workerUser,
}) => {
  // The browser's code exchange is held while a thief, who has read the code and the PKCE
  // verifier (all an injected script could see), redeems them first with its own key.
  let stolen: Awaited<ReturnType<typeof tokenRequest>> | undefined;
  await page.route(
    (url) => url.href === tokenUrl,
    async (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      if (form.get('grant_type') === 'authorization_code' && !stolen) {
        stolen = await tokenRequest(e2eEnv.idpIssuer, e2eEnv.spaOrigin, Object.fromEntries(form), {
          dpop: await thiefProof({ htm: 'POST', htu: tokenUrl }),
        });
      }
      await route.continue();
    },
  );
  const since = (await idp.allLog({ since: Number.MAX_SAFE_INTEGER })).lastSeq;
  await page.goto('/contacts');
  await attemptSignIn(page, workerUser);

  expect(stolen?.status).toBe(400);
  expect(stolen?.body.access_token).toBeUndefined();
  // Refused for the binding (the code was live and unexpired), as the IdP logged it.
  const { entries } = await idp.allLog({ since });
  expect(entries.map((e) => e.detail ?? '')).toContainEqual(
    expect.stringContaining('DPoP proof key thumbprint does not match dpop_jkt'),
  );
  // oidc-provider spends a code on any redemption attempt: the thief can burn it (the
  // browser then says so and offers to sign in again) but never use it.
  await expect(app.alert).toBeVisible();
});
