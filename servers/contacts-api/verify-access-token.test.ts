// Each rejection fails for the intended reason: asserted on jose's error codes, so a test
// cannot pass because of some unrelated defect in the token it builds.
import { sign as cryptoSign, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AUDIENCE,
  base64url,
  createTestKeys,
  ISSUER,
  mintAccessToken,
  type TestKeys,
} from './test-tokens.ts';
import {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  InvalidTokenError,
  KeysUnavailableError,
} from './verify-access-token.ts';

let keys: TestKeys;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  keys = await createTestKeys();
});

// Made in each test, not in beforeAll: the mutation gate's runner does not count a failing
// beforeAll as a failed test, so what the factory does must run inside the tests.
const verifierWith = (options: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifier =>
  createAccessTokenVerifier({
    issuers: [{ issuer: ISSUER, getKey: keys.getKey }],
    audience: AUDIENCE,
    ...options,
  });
const verify: AccessTokenVerifier = (token) => verifierWith()(token);

async function rejection(token: string): Promise<{ code?: string; claim?: string }> {
  const err = await verify(token).then(
    () => expect.unreachable('token was accepted'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidTokenError);
  const cause = (err as InvalidTokenError).cause as { code?: string; claim?: string } | undefined;
  return { code: cause?.code, claim: cause?.claim };
}

describe('createAccessTokenVerifier', () => {
  it("returns issuer, subject, client and the API's scopes of a valid token", async () => {
    const token = await mintAccessToken(keys, 'alice', { claims: { scope: 'a  contacts:read' } });
    await expect(verify(token)).resolves.toEqual({
      issuer: ISSUER,
      subject: 'alice',
      clientId: 'contacts-spa',
      scopes: new Set(['contacts:read']), // the API's own; others ('a') grant nothing here
      scopeName: expect.any(Function),
      keyThumbprint: undefined,
      expiresAt: expect.any(Number),
      notBefore: undefined,
    });
  });

  it.each([
    ['expired', { claims: { exp: now() - 31 } }, 'ERR_JWT_EXPIRED', 'exp'],
    ['nbf ahead', { claims: { nbf: now() + 60 } }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'nbf'],
    // An untrusted issuer is refused before jose runs: no cause, and no key lookup.
    ['wrong iss', { claims: { iss: 'https://evil.example' } }, undefined, undefined],
    ['wrong aud', { claims: { aud: 'contacts-spa' } }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'aud'],
    ['typ JWT', { header: { typ: 'JWT' } }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ'],
    ['no jti', { omit: ['jti'] }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'jti'],
    ['no client_id', { omit: ['client_id'] }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'client_id'],
    ['no iat', { omit: ['iat'] }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'iat'],
    ['no sub', { omit: ['sub'] }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'sub'],
    ['no exp', { omit: ['exp'] }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'exp'],
  ])('rejects: %s', async (_name, options, code, claim) => {
    expect(await rejection(await mintAccessToken(keys, 'alice', options))).toEqual({ code, claim });
  });

  it('rejects a key outside the JWKS: unknown kid, borrowed kid', async () => {
    expect((await rejection(await mintAccessToken(keys, 'alice', { key: keys.rogue }))).code).toBe(
      'ERR_JWKS_NO_MATCHING_KEY',
    );
    const borrowed = await mintAccessToken(keys, 'alice', { key: { ...keys.rogue, kid: 'rsa-1' } });
    expect((await rejection(borrowed)).code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('rejects algorithms off the allow-list before any key lookup', async () => {
    let lookups = 0;
    const counting = createAccessTokenVerifier({
      issuers: [
        {
          issuer: ISSUER,
          getKey: (header, token) => {
            lookups += 1;
            return keys.getKey(header, token);
          },
        },
      ],
      audience: AUDIENCE,
    });
    const payload = (await mintAccessToken(keys, 'alice')).split('.')[1];
    const hs = await new SignJWT({ sub: 'alice', iss: ISSUER })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new Uint8Array(32));
    for (const token of [`${base64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`, hs]) {
      const err = await counting(token).catch((e: unknown) => e);
      expect((err as InvalidTokenError).cause).toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
    }
    expect(lookups).toBe(0);
  });

  it('tells a key-source failure apart from a bad token', async () => {
    const down = createAccessTokenVerifier({
      issuers: [{ issuer: ISSUER, getKey: () => Promise.reject(new TypeError('fetch failed')) }],
      audience: AUDIENCE,
    });
    await expect(down(await mintAccessToken(keys, 'alice'))).rejects.toBeInstanceOf(
      KeysUnavailableError,
    );
  });
});

describe('createAccessTokenVerifier: what it is made with', () => {
  it('refuses to be made without a trusted issuer', () => {
    expect(() => verifierWith({ issuers: [] })).toThrow('at least one trusted issuer is required');
  });

  it("an issuer's own audience and scope names replace the defaults", async () => {
    const own = verifierWith({
      issuers: [
        {
          issuer: ISSUER,
          getKey: keys.getKey,
          audience: 'https://own.example',
          scopeNames: { 'contacts:read': 'read', 'contacts:write': 'write' },
        },
      ],
    });
    const token = await own(
      await mintAccessToken(keys, 'alice', {
        claims: { aud: 'https://own.example', scope: 'read contacts:write' },
      }),
    );
    expect(token.scopes).toEqual(new Set(['contacts:read'])); // its names only
    expect(token.scopeName('contacts:write')).toBe('write');
    await expect(own(await mintAccessToken(keys, 'alice'))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('the errors carry stable codes and names, and say nothing about the token', () => {
    const invalid = new InvalidTokenError();
    expect(invalid).toMatchObject({
      code: 'invalid_token',
      name: 'InvalidTokenError',
      message: 'access token rejected',
    });
    expect(new KeysUnavailableError('down')).toMatchObject({
      code: 'keys_unavailable',
      name: 'KeysUnavailableError',
      message: 'down',
    });
  });
});

describe('createAccessTokenVerifier refuses, before or after jose', () => {
  it('an untrusted or non-string issuer, without looking up any key', async () => {
    let lookups = 0;
    const counting = verifierWith({
      issuers: [
        {
          issuer: ISSUER,
          getKey: (header, token) => {
            lookups += 1;
            return keys.getKey(header, token);
          },
        },
      ],
    });
    for (const iss of ['https://evil.example', 42]) {
      const err = await counting(await mintAccessToken(keys, 'alice', { claims: { iss } })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InvalidTokenError);
      expect((err as InvalidTokenError).cause).toBeUndefined();
    }
    expect(lookups).toBe(0);
  });

  it('something that is not a JWT', async () => {
    const err = await verify('not-a-jwt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect((err as InvalidTokenError).cause).toMatchObject({ code: 'ERR_JWT_INVALID' });
  });

  it('says which of its own checks failed, as jose does', async () => {
    const err = await verify(
      await mintAccessToken(keys, 'alice', { header: { typ: 'JWT' } }),
    ).catch((e: unknown) => e);
    expect((err as InvalidTokenError).cause).toMatchObject({
      claim: 'typ',
      reason: 'check_failed',
      message: 'unexpected "typ" JWT header value',
    });
  });

  it.each([
    ['an empty sub', { sub: '' }],
    ['a sub that is not a string', { sub: 42 }],
    ['a sub that is a list', { sub: ['alice'] }],
    ['an empty client_id', { client_id: '' }],
    ['an empty jti', { jti: '' }],
    ['a scope that is not a string', { scope: 42 }],
    ['cnf without jkt (another binding, e.g. mTLS)', { cnf: { 'x5t#S256': 'abc' } }],
    ['cnf with an empty jkt', { cnf: { jkt: '' } }],
    ['cnf null', { cnf: null }],
    ['cnf a string', { cnf: 'jkt' }],
  ])('%s, with no cause (jose had passed it)', async (_name, claims) => {
    const err = await verify(await mintAccessToken(keys, 'alice', { claims })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect((err as InvalidTokenError).cause).toBeUndefined();
  });

  it('a published key the platform refuses to use (RSA under 2048 bits)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weak = verifierWith({ issuers: [{ issuer: ISSUER, getKey: async () => publicKey }] });
    const body = `${base64url({ alg: 'RS256', typ: 'at+jwt' })}.${base64url({
      iss: ISSUER,
      sub: 'alice',
      aud: AUDIENCE,
      client_id: 'contacts-spa',
      jti: 'j',
      iat: now(),
      exp: now() + 300,
    })}`;
    const token = `${body}.${cryptoSign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
    const err = await weak(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect((err as InvalidTokenError).cause).toBeInstanceOf(TypeError);
  });
});

describe('createAccessTokenVerifier at the edges', () => {
  afterEach(() => vi.useRealTimers());

  it('iat up to the leeway ahead is accepted; beyond it, refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.floor(Date.now() / 1000) * 1000); // on a whole second
    const at = (iat: number) => mintAccessToken(keys, 'alice', { claims: { iat } });
    await expect(verify(await at(now() + 30))).resolves.toBeTruthy();
    const err = await verify(await at(now() + 31)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTokenError);
    expect((err as InvalidTokenError).cause).toBeUndefined();
  });

  it.each(['application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])(
    'typ %s counts as at+jwt',
    async (typ) => {
      await expect(
        verify(await mintAccessToken(keys, 'alice', { header: { typ } })),
      ).resolves.toBeTruthy();
    },
  );

  it('a DPoP-bound token names its key; nbf is kept', async () => {
    const nbf = now() - 5;
    const token = await verify(
      await mintAccessToken(keys, 'alice', { claims: { cnf: { jkt: 'thumb' }, nbf } }),
    );
    expect(token.keyThumbprint).toBe('thumb');
    expect(token.notBefore).toBe(nbf);
  });

  it('a key source failure keeps its own error, or says the keys could not be loaded', async () => {
    const outage = new KeysUnavailableError('jwks answered 500');
    const named = verifierWith({
      issuers: [{ issuer: ISSUER, getKey: () => Promise.reject(outage) }],
    });
    await expect(named(await mintAccessToken(keys, 'alice'))).rejects.toBe(outage);
    const fetchFailed = new TypeError('fetch failed');
    const down = verifierWith({
      issuers: [{ issuer: ISSUER, getKey: () => Promise.reject(fetchFailed) }],
    });
    const err = await down(await mintAccessToken(keys, 'alice')).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: "cannot load the issuer's keys", cause: fetchFailed });
  });
});

describe('createAccessTokenVerifier with a profile whose typ cannot tell tokens apart', () => {
  it('compares typ as RFC 8725 does: application/ and case do not matter', async () => {
    const keycloak = verifierWith({
      issuers: [{ issuer: ISSUER, getKey: keys.getKey, profile: 'keycloak' }],
    });
    const claims = { azp: 'contacts-spa', scope: 'contacts:read', typ: 'Bearer' };
    for (const typ of ['application/JWT', 'Application/jwt', 'jwt']) {
      await expect(
        keycloak(await mintAccessToken(keys, 'alice', { claims, header: { typ } })),
      ).resolves.toBeTruthy();
    }
  });

  it("refuses the provider's ID token, saying it is not an access token", async () => {
    const keycloak = verifierWith({
      issuers: [{ issuer: ISSUER, getKey: keys.getKey, profile: 'keycloak' }],
    });
    const claims = { azp: 'contacts-spa', scope: 'contacts:read', typ: 'ID' };
    const err = await keycloak(
      await mintAccessToken(keys, 'alice', { claims, header: { typ: 'JWT' } }),
    ).catch((e: unknown) => e);
    expect((err as InvalidTokenError).cause).toMatchObject({
      claim: 'access token',
      message: 'not an access token of this issuer',
    });
  });
});
