import { stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieBrowser, createPkce, signIn, signInForTokens, tokenRequest } from './test-client.ts';
import {
  control,
  credentials,
  refresh,
  SECRET,
  SPA,
  signInAs,
  startTestIdp,
  type TestIdp,
} from './test-kit.ts';
import { TEST_SECRET_FILE } from './test-mode.ts';

let on: TestIdp;
let off: TestIdp;
beforeAll(async () => {
  [on, off] = await Promise.all([startTestIdp(true), startTestIdp(false)]);
});
afterAll(async () => {
  await Promise.all([on?.stop(), off?.stop()]);
});
afterEach(async () => {
  await control(on.issuer, 'POST', '/reset');
});

const counters = async (user: string) =>
  (await control(on.issuer, 'GET', `/users/${user}/counters`)).body;

describe('access to the test controls', () => {
  it('do not exist when test mode is off', async () => {
    for (const route of ['', '/', '/keys/rotate', '/users/alice/counters']) {
      const { status } = await control(off.issuer, 'POST', route, {});
      expect(status).toBe(404);
    }
    expect((await control(off.issuer, 'GET', '/')).status).toBe(404);
  });

  it('refuse calls without the secret (401) or with a wrong one (403)', async () => {
    const none = await control(on.issuer, 'GET', '/', undefined, {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="idp-test-controls"');
    const wrong = await control(on.issuer, 'GET', '/', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect((await control(on.issuer, 'GET', '/')).status).toBe(200);
  });

  it('answer no CORS, refuse preflights and anything a browser sends', async () => {
    const url = new URL('/test-controls/keys/rotate', on.issuer);
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: SPA, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    const fromPage = await fetch(url, {
      method: 'POST',
      headers: {
        origin: SPA,
        authorization: `Bearer ${SECRET}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(fromPage.status).toBe(403);
    const site = await control(on.issuer, 'GET', '/', undefined, {
      authorization: `Bearer ${SECRET}`,
      'sec-fetch-site': 'same-site',
    });
    expect(site.status).toBe(403);
    const form = await fetch(new URL('/test-controls/reset', on.issuer), {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
      body: new URLSearchParams({ a: 'b' }),
    });
    expect(form.status).toBe(415);
    for (const response of [preflight, fromPage, form]) {
      for (const [name] of response.headers) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it('writes the per-run secret to the data folder, readable by its owner only', async () => {
    expect((await stat(path.join(on.dataDir, TEST_SECRET_FILE))).mode & 0o777).toBe(0o600);
  });
});

describe('token endpoint faults', () => {
  it.each([
    ['503', {}, 503, 'temporarily_unavailable'],
    ['oauth_error', { error: 'invalid_grant' }, 400, 'invalid_grant'],
    ['oauth_error', { error: 'temporarily_unavailable' }, 503, 'temporarily_unavailable'],
  ] as const)(
    '%s %j: served to the target user only, then gone',
    async (kind, extra, status, error) => {
      await control(on.issuer, 'POST', '/users/worker1/reset');
      await control(on.issuer, 'POST', '/users/worker2/reset');
      const { tokens } = await signInAs(on.issuer, 'worker1');
      const other = await signInAs(on.issuer, 'worker2');
      await control(on.issuer, 'POST', '/faults/token-endpoint', {
        target: { user: 'worker1' },
        kind,
        times: 2,
        ...extra,
      });
      expect((await refresh(on.issuer, other.tokens.refresh_token)).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const failed = await refresh(on.issuer, tokens.refresh_token);
        expect(failed).toMatchObject({ status, body: { error } });
      }
      // The refresh token was never reached, so it still works once the fault is used up.
      expect((await refresh(on.issuer, tokens.refresh_token)).status).toBe(200);
      expect(await counters('worker1')).toMatchObject({ faultsServed: 2, refreshes: 1 });
      expect(await counters('worker2')).toMatchObject({ faultsServed: 0, refreshes: 1 });
    },
  );

  it('drop: the connection closes without an answer, for the resends of that request too', async () => {
    const { tokens } = await signInAs(on.issuer, 'worker1');
    await control(on.issuer, 'POST', '/faults/token-endpoint', {
      target: { user: 'worker1' },
      kind: 'drop',
    });
    await expect(refresh(on.issuer, tokens.refresh_token)).rejects.toThrow(TypeError);
    // A browser resends a request whose keep-alive connection dropped: still down.
    await expect(refresh(on.issuer, tokens.refresh_token)).rejects.toThrow(TypeError);
    // The fault itself was used once: another request goes through.
    const again = await signInAs(on.issuer, 'worker1');
    expect((await refresh(on.issuer, again.tokens.refresh_token)).status).toBe(200);
  });

  it('slow: answers normally after the delay', async () => {
    const { tokens } = await signInAs(on.issuer, 'worker1');
    await control(on.issuer, 'POST', '/faults/token-endpoint', {
      target: { user: 'worker1' },
      kind: 'slow',
      delayMs: 400,
    });
    const started = Date.now();
    expect((await refresh(on.issuer, tokens.refresh_token)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('lost-answer: the refresh is carried out but its answer never arrives, so the old token is spent', async () => {
    await control(on.issuer, 'POST', '/users/worker4/reset');
    const { tokens } = await signInAs(on.issuer, 'worker4');
    await control(on.issuer, 'POST', '/faults/token-endpoint', {
      target: { user: 'worker4' },
      kind: 'lost-answer',
      delayMs: 300,
    });
    await expect(refresh(on.issuer, tokens.refresh_token)).rejects.toThrow(TypeError);
    expect(await counters('worker4')).toMatchObject({ refreshes: 1, faultsServed: 1 });
    // What a client without the answer has left: the old refresh token, now a reused one.
    const reused = await refresh(on.issuer, tokens.refresh_token);
    expect(reused.body.error).toBe('invalid_grant');
    expect(await counters('worker4')).toMatchObject({ refreshReuseDetected: 1 });
  });

  it('lost-answer waits for a refresh: a code exchange is answered', async () => {
    await control(on.issuer, 'POST', '/users/worker4/reset');
    await control(on.issuer, 'POST', '/faults/token-endpoint', {
      target: { user: 'worker4' },
      kind: 'lost-answer',
      delayMs: 300,
    });
    const { tokens } = await signInAs(on.issuer, 'worker4');
    expect(tokens.refresh_token).toBeTruthy();
    expect((await control(on.issuer, 'GET', '/')).body).toMatchObject({
      faults: expect.arrayContaining([
        expect.objectContaining({ kind: 'lost-answer', target: { user: 'worker4' }, remaining: 1 }),
      ]),
    });
    await control(on.issuer, 'POST', '/users/worker4/reset');
  });

  it('applies to the code exchange too, found by the code it carries', async () => {
    await control(on.issuer, 'POST', '/faults/token-endpoint', {
      target: { user: 'worker6' },
      kind: 'oauth_error',
      error: 'invalid_grant',
    });
    const result = await signInAs(on.issuer, 'worker6');
    expect(result.tokens.error).toBe('invalid_grant');
  });

  it('rejects unknown kinds and users, and needs a target', async () => {
    const post = (body: unknown) => control(on.issuer, 'POST', '/faults/token-endpoint', body);
    expect((await post({ target: { user: 'worker1' }, kind: 'boom' })).status).toBe(400);
    expect((await post({ target: { user: 'nobody' }, kind: '503' })).status).toBe(404);
    expect((await post({ kind: '503' })).status).toBe(400);
  });
});

describe('authorization response faults', () => {
  const authorize = async (username: string) => {
    const { callback } = await signIn(new CookieBrowser(), {
      issuer: on.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid contacts:read',
      ...credentials(username),
    });
    return callback;
  };

  it.each([
    ['wrong-state', (u: URL) => u.searchParams.get('state') === 'not-the-state-you-sent'],
    ['missing-state', (u: URL) => !u.searchParams.has('state')],
    ['missing-code', (u: URL) => !u.searchParams.has('code')],
    ['wrong-iss', (u: URL) => u.searchParams.get('iss') === 'https://wrong-issuer.example'],
    ['missing-iss', (u: URL) => !u.searchParams.has('iss') && u.searchParams.has('code')],
  ] as const)('%s', async (kind, check) => {
    await control(on.issuer, 'POST', '/faults/authorization-response', {
      target: { user: 'worker7' },
      kind,
    });
    const other = await authorize('worker8');
    expect(other.searchParams.get('iss')).toBe(on.issuer);
    expect(other.searchParams.has('code')).toBe(true);
    expect(check(await authorize('worker7'))).toBe(true);
    expect((await authorize('worker7')).searchParams.get('iss')).toBe(on.issuer); // used up
  });

  it('error: an error response of the chosen kind, keeping state and iss', async () => {
    await control(on.issuer, 'POST', '/faults/authorization-response', {
      target: { user: 'worker7' },
      kind: 'error',
      error: 'temporarily_unavailable',
    });
    const callback = await authorize('worker7');
    expect(callback.searchParams.get('error')).toBe('temporarily_unavailable');
    expect(callback.searchParams.has('code')).toBe(false);
    expect(callback.searchParams.get('iss')).toBe(on.issuer);
    expect(callback.searchParams.has('state')).toBe(true);
  });
});

describe('counters, log and revocation', () => {
  it('counts code exchanges, refreshes and a reused refresh token, which revokes the grant', async () => {
    await control(on.issuer, 'POST', '/users/sam/reset');
    const { tokens } = await signInAs(on.issuer, 'sam');
    // The response lists the OpenID scopes too, so a client echoing it on refresh gets ID tokens.
    expect(tokens.scope?.split(' ').sort()).toEqual([
      'contacts:read',
      'email',
      'openid',
      'profile',
    ]);
    const echoed = await tokenRequest(on.issuer, SPA, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: 'contacts-spa',
      scope: tokens.scope ?? '',
    });
    expect(echoed.body.id_token).toBeTruthy();
    tokens.refresh_token = echoed.body.refresh_token;
    const renewed = await refresh(on.issuer, tokens.refresh_token);
    expect(renewed.status).toBe(200);
    // A refresh returns a fresh ID token when openid was granted (byte-equal within a second).
    const [before, after] = [tokens.id_token, renewed.body.id_token].map((t) => decodeJwt(t ?? ''));
    expect(after).toMatchObject({ sub: before?.sub, aud: 'contacts-spa', iss: on.issuer });
    expect(after?.iat).toBeGreaterThanOrEqual(before?.iat ?? Infinity);

    const reused = await refresh(on.issuer, echoed.body.refresh_token);
    expect(reused.body.error).toBe('invalid_grant');
    // The grant is gone: even the newest refresh token is refused now.
    expect((await refresh(on.issuer, renewed.body.refresh_token)).body.error).toBe('invalid_grant');

    expect(await counters('sam')).toMatchObject({
      authorizations: 1,
      codeExchanges: 1,
      refreshes: 2,
      refreshReuseDetected: 1,
    });
    const log = (await control(on.issuer, 'GET', '/users/sam/log')).body as unknown as {
      event: string;
    }[];
    expect(log.map((entry) => entry.event)).toEqual(
      expect.arrayContaining([
        'authorization',
        'code-exchange',
        'refresh',
        'refresh-reuse',
        'grant-revoked',
      ]),
    );
  });

  it('counts revocations at the revocation endpoint', async () => {
    await control(on.issuer, 'POST', '/users/worker5/reset');
    const { tokens } = await signInAs(on.issuer, 'worker5');
    await fetch(new URL('/token/revocation', on.issuer), {
      method: 'POST',
      headers: { origin: SPA },
      body: new URLSearchParams({ token: tokens.refresh_token ?? '', client_id: 'contacts-spa' }),
    });
    expect(await counters('worker5')).toMatchObject({ revocations: 1 });
  });

  it("revokes a user's sessions and grants, and no one else's", async () => {
    const mine = await signInAs(on.issuer, 'worker3');
    const theirs = await signInAs(on.issuer, 'worker4');
    const { body } = await control(on.issuer, 'POST', '/users/worker3/revoke');
    expect(body).toMatchObject({ sessions: 1, grants: 1 });
    expect((await refresh(on.issuer, mine.tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(on.issuer, theirs.tokens.refresh_token)).status).toBe(200);
    // The browser session is gone too: the next authorization request asks for a password.
    const auth = new URL('/auth', on.issuer);
    auth.search = new URLSearchParams({
      client_id: 'contacts-spa',
      redirect_uri: `${SPA}/callback`,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      code_challenge: createPkce().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const { response } = await mine.browser.follow(auth);
    expect(await response.text()).toContain('<h1>Sign in</h1>');
  });
});

describe('accounts made by tests', () => {
  const reader = {
    username: 'controls-test-reader',
    password: 'controls-test-reader-password',
    name: 'Rita Reader',
    entitlements: ['contacts:read'],
  };

  it('a new account signs in with its password, its own subject and entitlements; made again, it is the same person', async () => {
    const made = await control(on.issuer, 'POST', '/accounts', reader);
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ username: reader.username, created: true });
    const { tokens } = await signInForTokens({
      issuer: on.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid profile email contacts:read contacts:write',
      username: reader.username,
      password: reader.password,
    });
    const idToken = decodeJwt(tokens.id_token ?? '');
    expect(idToken).toMatchObject({ sub: made.body.sub, name: 'Rita Reader' });
    // Its entitlements hold whatever the app asks: read only.
    expect(decodeJwt(tokens.access_token ?? '').scope).toBe('contacts:read');
    expect((await counters(reader.username)).codeExchanges).toBe(1);

    const again = await control(on.issuer, 'POST', '/accounts', reader);
    expect(again.body).toMatchObject({ sub: made.body.sub, created: false });
  });

  it('never takes over a seeded user or another password, and checks what it is given', async () => {
    const seeded = await control(on.issuer, 'POST', '/accounts', { ...reader, username: 'bob' });
    expect(seeded.status).toBe(409);
    await control(on.issuer, 'POST', '/accounts', reader);
    const stolen = { ...reader, password: 'someone-elses-password' };
    expect((await control(on.issuer, 'POST', '/accounts', stolen)).status).toBe(409);
    for (const bad of [
      { ...reader, username: 'Not Valid' },
      { ...reader, password: 'short' },
      { ...reader, name: '' },
      { ...reader, entitlements: ['contacts:admin'] },
    ]) {
      expect((await control(on.issuer, 'POST', '/accounts', bad)).status).toBe(400);
    }
  });

  it('does not exist when test mode is off', async () => {
    expect((await control(off.issuer, 'POST', '/accounts', reader)).status).toBe(404);
  });
});
