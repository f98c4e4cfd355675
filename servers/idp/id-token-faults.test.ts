import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_TOKEN_FAULTS, type IdTokenFault } from './fault-kinds.ts';
import { control, refresh, signInAs, startTestIdp, type TestIdp } from './test-kit.ts';

let t: TestIdp;
let jwks: ReturnType<typeof createLocalJWKSet>;
beforeAll(async () => {
  t = await startTestIdp(true);
  jwks = createLocalJWKSet(
    (await (await fetch(new URL('/jwks', t.issuer))).json()) as JSONWebKeySet,
  );
});
afterAll(() => t?.stop());

const verify = (token: string) =>
  jwtVerify(token, jwks, {
    issuer: t.issuer,
    audience: 'contacts-spa',
    algorithms: ['RS256', 'ES256'],
  });
const now = () => Math.floor(Date.now() / 1000);

/** What a verifier sees for each kind: the check that must fail. */
const expectations: Record<IdTokenFault, (token: string) => Promise<void> | void> = {
  'bad-signature': async (token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  },
  'alg-none': (token) => {
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(token.endsWith('.')).toBe(true);
  },
  'hs256-public-key': async (token) => {
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    await expect(verify(token)).rejects.toThrow();
  },
  'unknown-kid': async (token) => {
    expect(decodeProtectedHeader(token).kid).toMatch(/^unknown-/);
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  },
  'missing-kid': async (token) => {
    expect(decodeProtectedHeader(token)).not.toHaveProperty('kid');
  },
  'wrong-iss': async (token) => {
    await expect(verify(token)).rejects.toThrow('unexpected "iss" claim value');
  },
  'wrong-aud': async (token) => {
    await expect(verify(token)).rejects.toThrow('unexpected "aud" claim value');
  },
  'extra-untrusted-aud': async (token) => {
    const { payload } = await verify(token); // signature and aud (contains client) pass...
    expect(payload.aud).toEqual(['contacts-spa', 'https://untrusted-audience.example']);
    expect(payload).not.toHaveProperty('azp'); // ...but OIDC Core 3.1.3.7 #4/5 fail
  },
  'wrong-azp': async (token) => {
    const { payload } = await verify(token);
    expect(payload.azp).toBe('some-other-client');
  },
  expired: async (token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWTExpired);
    expect(decodeJwt(token).exp).toBeLessThanOrEqual(now() - 300);
  },
  'iat-future': async (token) => {
    expect(decodeJwt(token).iat).toBeGreaterThanOrEqual(now() + 300);
    await verify(token); // jose does not check iat by itself: the RP must
  },
  'iat-week-old': async (token) => {
    expect(decodeJwt(token).iat).toBeLessThanOrEqual(now() - 6 * 86400);
    await verify(token);
  },
  'missing-exp': async (token) => {
    expect((await verify(token)).payload).not.toHaveProperty('exp');
  },
  'missing-iat': async (token) => {
    expect((await verify(token)).payload).not.toHaveProperty('iat');
  },
  'missing-nonce': async (token) => {
    expect((await verify(token)).payload).not.toHaveProperty('nonce');
  },
  'wrong-nonce': async (token) => {
    expect((await verify(token)).payload.nonce).toBe('not-the-nonce-you-sent');
  },
  'missing-sub': async (token) => {
    expect((await verify(token)).payload).not.toHaveProperty('sub');
  },
  'different-sub': () => {},
};

describe('bad ID tokens on the next token response', () => {
  it.each(ID_TOKEN_FAULTS.filter((kind) => kind !== 'different-sub'))('%s', async (kind) => {
    await control(t.issuer, 'POST', '/faults/id-token', { target: { user: 'worker1' }, kind });
    const [mine, theirs] = await Promise.all([
      signInAs(t.issuer, 'worker1', { nonce: 'n-0S6_WzA2Mj' }),
      signInAs(t.issuer, 'worker2', { nonce: 'n-0S6_WzA2Mj' }),
    ]);
    await expectations[kind](mine.tokens.id_token ?? '');
    // Everything else is untouched: the other user's token and the access token verify.
    expect((await verify(theirs.tokens.id_token ?? '')).payload.nonce).toBe('n-0S6_WzA2Mj');
    // Used up: the refreshed ID token is good again.
    const renewed = await refresh(t.issuer, mine.tokens.refresh_token);
    await verify(renewed.body.id_token ?? '');
    const log = (await control(t.issuer, 'GET', '/users/worker1/log')).body as unknown as {
      event: string;
    }[];
    expect(log.map((entry) => entry.event)).toContain(`fault:id-token:${kind}`);
  });

  it('different-sub waits for a refresh, and can be served several times', async () => {
    await control(t.issuer, 'POST', '/faults/id-token', {
      target: { user: 'worker3' },
      kind: 'different-sub',
      times: 2,
    });
    const { tokens } = await signInAs(t.issuer, 'worker3');
    const sub = decodeJwt(tokens.id_token ?? '').sub;
    const first = await refresh(t.issuer, tokens.refresh_token);
    const second = await refresh(t.issuer, first.body.refresh_token);
    const third = await refresh(t.issuer, second.body.refresh_token);
    const subs = [first, second, third].map((r) => decodeJwt(r.body.id_token ?? '').sub);
    expect(subs[0]).not.toBe(sub);
    expect(subs[1]).not.toBe(sub);
    expect(subs[2]).toBe(sub);
    const counters = (await control(t.issuer, 'GET', '/users/worker3/counters')).body;
    expect(counters).toMatchObject({ faultsServed: 2, refreshes: 3 });
  });
});
