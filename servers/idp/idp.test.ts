import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID } from './configuration.ts';
import { type RunningIdp, startIdp } from './idp.ts';
import { SIGNING_KEYS_FILE } from './keys.ts';
import { CookieBrowser, createPkce, formAction, signIn, tokenRequest } from './test-client.ts';
import { API, credentials, freePort, SPA, testEnv } from './test-kit.ts';

const ALICE = credentials('alice');
const BOB = credentials('bob');

let dataDir: string;
let idp: RunningIdp;
let issuer: string;
const logged: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'idp-test-'));
  const env = testEnv(await freePort(), dataDir);
  issuer = env.idpIssuer;
  idp = await startIdp(env, { log: (line) => logged.push(line) });
});

afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function authUrl(params: Record<string, string>, at = issuer): URL {
  const url = new URL('/auth', at);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: `${SPA}/callback`,
    response_type: 'code',
    scope: 'openid',
    state: 'xyz',
    code_challenge: createPkce().challenge,
    code_challenge_method: 'S256',
    ...params,
  }).toString();
  return url;
}

async function signInAndRedeem(user: typeof ALICE, scope: string, at = issuer) {
  const browser = new CookieBrowser();
  const { callback, verifier } = await signIn(browser, {
    issuer: at,
    spaOrigin: SPA,
    clientId: CLIENT_ID,
    scope,
    ...user,
  });
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const tokens = await tokenRequest(at, SPA, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: `${SPA}/callback`,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
  expect(tokens.status).toBe(200);
  return { browser, tokens: tokens.body };
}

async function verify(token: string | undefined, options: { typ?: string; audience: string }) {
  const jwks = (await (await fetch(new URL('/jwks', issuer))).json()) as JSONWebKeySet;
  return jwtVerify(token ?? '', createLocalJWKSet(jwks), {
    issuer,
    algorithms: ['RS256'],
    ...options,
  });
}

describe('discovery and keys', () => {
  it('publishes the issuer, S256 only and an end-session endpoint', async () => {
    const response = await fetch(new URL('/.well-known/openid-configuration', issuer));
    const discovery = await response.json();
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(discovery.revocation_endpoint).toBe(`${issuer}/token/revocation`);
    expect(discovery.response_types_supported).toEqual(['code']);
  });

  it('serves public RS256 and ES256 keys whose kids are their RFC 7638 thumbprints', async () => {
    const { keys } = (await (await fetch(new URL('/jwks', issuer))).json()) as JSONWebKeySet;
    expect(keys.map((key) => key.alg)).toEqual(['RS256', 'ES256']);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
    expect(keys[1]).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig' });
    for (const key of keys) {
      expect(key.kid).toBe(await calculateJwkThumbprint(key));
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(secret);
    }
    const discovery = await (
      await fetch(new URL('/.well-known/openid-configuration', issuer))
    ).json();
    expect(discovery.id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
  });

  it('keeps its signing key across restarts with the same data folder', async () => {
    const kidOf = async (at: string) =>
      ((await (await fetch(new URL('/jwks', at))).json()) as JSONWebKeySet).keys[0]?.kid;
    const second = await startIdp(testEnv(await freePort(), dataDir), { log: () => {} });
    try {
      expect(await kidOf(second.provider.issuer)).toBe(await kidOf(issuer));
    } finally {
      await second.close();
    }
    expect((await stat(path.join(dataDir, SIGNING_KEYS_FILE))).mode & 0o777).toBe(0o600);
  });
});

describe('restart', () => {
  it('keeps sessions and refresh tokens when restarted with the same data folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'idp-restart-'));
    const env = testEnv(await freePort(), dir);
    let running = await startIdp(env, { log: () => {} });
    try {
      const { browser, tokens } = await signInAndRedeem(
        ALICE,
        'openid contacts:read',
        env.idpIssuer,
      );
      await running.close();
      running = await startIdp(env, { log: () => {} });

      const renewed = await tokenRequest(env.idpIssuer, SPA, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: CLIENT_ID,
      });
      expect(renewed.status).toBe(200);
      // The session cookie still works: straight back to the SPA with a code, no login page.
      const { location } = await browser.follow(authUrl({}, env.idpIssuer));
      expect(location?.searchParams.has('code')).toBe(true);
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('authorization request checks', () => {
  it('refuses a request without PKCE (error, no code)', async () => {
    const url = authUrl({});
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const { location } = await new CookieBrowser().follow(url);
    expect(location?.searchParams.get('error')).toBe('invalid_request');
    expect(location?.searchParams.has('code')).toBe(false);
  });

  it('refuses code_challenge_method=plain', async () => {
    const { location } = await new CookieBrowser().follow(
      authUrl({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }),
    );
    expect(location?.searchParams.get('error')).toBe('invalid_request');
  });

  it.each([`${SPA}/callback/`, 'http://localhost:5174/callback'])(
    'shows an error page, not a redirect, for redirect_uri %s',
    async (redirectUri) => {
      const response = await new CookieBrowser().fetch(authUrl({ redirect_uri: redirectUri }));
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toContain('<h1>Sign-in error</h1>');
      expect(html).toContain('invalid_redirect_uri');
      expect(html).not.toMatch(/at .+\.js:\d+/); // no stack trace
    },
  );

  it('refuses response_type=token', async () => {
    const browser = new CookieBrowser();
    const { response, location } = await browser.follow(authUrl({ response_type: 'token' }));
    const params = new URLSearchParams(location?.hash.slice(1) || location?.search);
    expect(params.get('error') ?? (await response.text())).toContain('unsupported_response_type');
    expect(params.has('access_token')).toBe(false);
  });

  it('shows a plain error page for an unknown interaction', async () => {
    const response = await new CookieBrowser().fetch(new URL('/interaction/nope', issuer));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<h1>Sign-in error</h1>');
  });
});

describe('login and consent', () => {
  it('shows the login page with security headers, and keeps the username after a wrong password', async () => {
    const browser = new CookieBrowser();
    const { response } = await browser.follow(authUrl({}));
    const html = await response.text();
    expect(html).toContain('<h1>Sign in</h1>');
    expect(html).toContain('Contacts');
    expect(html).toMatch(/<label for="username">Username<\/label>/);
    expect(html).toMatch(/autocomplete="current-password"/);
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'self'; form-action 'self' ${SPA}; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');

    const wrong = await browser.fetch(formAction(html, issuer), {
      form: { username: 'alice', password: 'not-her-password' },
    });
    expect(wrong.status).toBe(200);
    expect(wrong.headers.get('location')).toBeNull();
    const again = await wrong.text();
    expect(again).toContain('role="alert"');
    expect(again).toContain('Wrong username or password.');
    expect(again).toContain('value="alice"');
  });

  it('issues a JWT access token for the API, an ID token with name and email, and a rotating refresh token', async () => {
    const { tokens } = await signInAndRedeem(ALICE, 'openid profile email contacts:read');

    expect(decodeProtectedHeader(tokens.access_token ?? '').typ).toBe('at+jwt');
    const { payload: at } = await verify(tokens.access_token, { typ: 'at+jwt', audience: API });
    expect(at.aud).toBe(API);
    expect(String(at.scope).split(' ')).toContain('contacts:read');
    expect(at).toMatchObject({ client_id: CLIENT_ID, sub: expect.any(String) });
    for (const claim of ['jti', 'iat', 'exp']) expect(at).toHaveProperty(claim);

    const { payload: id } = await verify(tokens.id_token, { audience: CLIENT_ID });
    expect(id).toMatchObject({ name: 'Alice Andersen', email: 'alice@example.test' });

    const first = tokens.refresh_token ?? '';
    expect(first).not.toBe('');
    const refresh = (token: string) =>
      tokenRequest(issuer, SPA, {
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: CLIENT_ID,
      });
    const renewed = await refresh(first);
    expect(renewed.status).toBe(200);
    expect(renewed.body.refresh_token).toBeTruthy();
    expect(renewed.body.refresh_token).not.toBe(first);
    const reused = await refresh(first);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('never grants bob contacts:write, and says so on the consent page', async () => {
    const browser = new CookieBrowser();
    const { response } = await browser.follow(
      authUrl({ scope: 'openid profile contacts:read contacts:write' }),
    );
    const consent = await browser.follow(formAction(await response.text(), issuer), { form: BOB });
    const html = await consent.response.text();
    expect(html).toContain('<h1>Allow Contacts to access your account?</h1>');
    expect(html).toContain('Bob Brown');
    const [granted = '', unavailable = ''] = html.split('Not available for your account');
    expect(granted).toContain('<li>Read your contacts</li>');
    expect(granted).not.toContain('Create, edit and delete your contacts');
    expect(unavailable).toContain('<li>Create, edit and delete your contacts</li>');

    const { tokens } = await signInAndRedeem(BOB, 'openid contacts:read contacts:write');
    const { payload } = await verify(tokens.access_token, { typ: 'at+jwt', audience: API });
    expect(String(payload.scope).split(' ')).toEqual(['contacts:read']);
  });

  it('sends access_denied to the SPA when the user denies', async () => {
    const { callback } = await signIn(new CookieBrowser(), {
      issuer,
      spaOrigin: SPA,
      clientId: CLIENT_ID,
      scope: 'openid contacts:read',
      decision: 'deny',
      ...credentials('worker1'), // has never consented in this IdP
    });
    expect(callback.origin + callback.pathname).toBe(`${SPA}/callback`);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.has('code')).toBe(false);
  });
});

describe('revocation', () => {
  it('revokes a refresh token for the SPA', async () => {
    const { tokens } = await signInAndRedeem(ALICE, 'openid contacts:read');
    const refreshToken = tokens.refresh_token ?? '';
    const revoked = await fetch(new URL('/token/revocation', issuer), {
      method: 'POST',
      headers: { origin: SPA },
      body: new URLSearchParams({
        token: refreshToken,
        token_type_hint: 'refresh_token',
        client_id: CLIENT_ID,
      }),
    });
    expect(revoked.status).toBe(200);
    expect(revoked.headers.get('access-control-allow-origin')).toBe(SPA);
    const refreshed = await tokenRequest(issuer, SPA, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });
});

describe('logout', () => {
  it('asks to confirm, then ends the session and its refresh token', async () => {
    const { browser, tokens } = await signInAndRedeem(ALICE, 'openid contacts:read');
    const endSession = new URL('/session/end', issuer);
    endSession.search = new URLSearchParams({
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: `${SPA}/`,
    }).toString();
    const page = await browser.fetch(endSession);
    const html = await page.text();
    expect(html).toContain('<h1>Sign out of the test IdP?</h1>');
    expect(html).toContain('Yes, sign me out');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const done = await browser.fetch(formAction(html, issuer), { form: { xsrf, logout: 'yes' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${SPA}/`);

    const refreshed = await tokenRequest(issuer, SPA, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: CLIENT_ID,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });
});
