import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { demoContacts } from '../servers/demo-data.ts';
import { storedUser } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';

// The contacts API must really verify tokens: these calls go straight to it, outside
// the browser, with tokens taken from a real sign-in.
test.describe('the contacts API verifies every access token', () => {
  let accessToken = '';
  let idToken = '';

  let seeded: string[] = [];

  test.beforeEach(async ({ page, signIn, workerUser }) => {
    seeded = (demoContacts[workerUser.username] ?? []).map((contact) => contact.name);
    await page.goto('/');
    await signIn(page, workerUser);
    const user = await storedUser(page);
    accessToken = user?.access_token ?? '';
    idToken = user?.id_token ?? '';
    expect(accessToken).not.toBe('');
    expect(idToken).not.toBe('');
  });

  const listContacts = (request: import('@playwright/test').APIRequestContext, token?: string) =>
    request.get(`${e2eEnv.apiUrl}/contacts`, {
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });

  test('the real access token is DPoP-bound: replayed as Bearer it is refused', async ({
    page,
    request,
  }) => {
    expect(decodeJwt(accessToken).cnf).toHaveProperty('jkt');
    const response = await listContacts(request, accessToken);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^DPoP .*error="invalid_token"/);
    // ...while the app, holding the key, still reads the contacts with it
    await page.goto('/contacts');
    await expect(page.getByText(seeded[0] ?? '', { exact: true })).toBeVisible();
  });

  test('no token: 401 with a bare Bearer challenge', async ({ request }) => {
    const response = await listContacts(request);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toBe('Bearer realm="contacts"');
  });

  test('a token signed by a key the IdP never published: 401 invalid_token', async ({
    request,
  }) => {
    // The real token's claims, fresh, minus `cnf`: sent as Bearer, only its signature is
    // wrong (with `cnf` the API would refuse it as a DPoP downgrade before any signature).
    const header = decodeProtectedHeader(accessToken);
    const { cnf, ...claims } = decodeJwt(accessToken);
    expect(cnf).toHaveProperty('jkt');
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 5);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({
        alg: header.alg ?? 'RS256',
        typ: header.typ ?? 'at+jwt',
        ...(header.kid ? { kid: header.kid } : {}),
      })
      .sign(privateKey);
    const response = await listContacts(request, forged);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toBe(
      'Bearer realm="contacts", error="invalid_token", error_description="The access token is invalid or expired"',
    );
    expect(await response.json()).toMatchObject({ status: 401, error: 'invalid_token' });
  });

  test('a validly signed token for another audience (the ID token): 401 invalid_token', async ({
    request,
  }) => {
    expect(decodeJwt(idToken).aud).toBe('contacts-spa');
    const response = await listContacts(request, idToken);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toContain('error="invalid_token"');
  });
});
