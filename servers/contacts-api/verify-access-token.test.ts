// Each rejection fails for the intended reason: asserted on jose's error codes, so a test
// cannot pass because of some unrelated defect in the token it builds.
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
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
  createAccessTokenVerifier,
  InvalidTokenError,
  KeysUnavailableError,
} from './verify-access-token.ts';

let keys: TestKeys;
let verify: AccessTokenVerifier;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  keys = await createTestKeys();
  verify = createAccessTokenVerifier({
    issuers: [{ issuer: ISSUER, getKey: keys.getKey }],
    audience: AUDIENCE,
  });
});

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
