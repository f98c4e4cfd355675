// @vitest-environment node
import {
  CompactSign,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { correctedClock } from '../../lib/clock.ts';
import { accessTokenHash } from './at-hash.ts';
import { IdTokenError } from './id-token-error.ts';
import { type IdTokenExpectations, verifyIdToken } from './verify-id-token.ts';

const issuer = 'https://idp.example';
const clientId = 'contacts-spa';
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const nowSeconds = NOW / 1000;
const clock = correctedClock(0, () => NOW);

type Alg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';
const keys: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};
let jwks: ReturnType<typeof createLocalJWKSet>;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const published: JWK[] = [];
  for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as Alg[]) {
    const pair = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: `key-${alg}`, alg, use: 'sig' };
    keys[alg] = { privateKey: pair.privateKey, jwk };
    published.push(jwk);
  }
  jwks = createLocalJWKSet({ keys: published });
  strangerKey = (await generateKeyPair('RS256')).privateKey;
});

const expectations = (overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations => ({
  issuer,
  clientId,
  algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'],
  nonce: 'n-0S6_WzA2Mj',
  nonceRequired: true,
  clockToleranceSeconds: 120,
  maxTokenAgeSeconds: 600,
  ...overrides,
});

const baseClaims = () => ({
  iss: issuer,
  sub: 'user-1',
  aud: clientId as string | string[],
  exp: nowSeconds + 3600,
  iat: nowSeconds - 5,
  nonce: 'n-0S6_WzA2Mj',
  name: 'Zoë Ñúñez',
});

async function sign(
  claims: Record<string, unknown>,
  options: { alg?: Alg; key?: CryptoKey; header?: Record<string, unknown> } = {},
) {
  const alg = options.alg ?? 'RS256';
  const key = keys[alg];
  if (!key) throw new Error(alg);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: key.jwk.kid, ...options.header })
    .sign(options.key ?? key.privateKey);
}

const b64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function ruleOf(token: string | undefined, overrides: Partial<IdTokenExpectations> = {}) {
  const error = await verifyIdToken(token, jwks, expectations(overrides), clock).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdTokenError);
  return (error as IdTokenError).rule;
}

describe('verifyIdToken accepts', () => {
  it.each(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as Alg[])(
    'a valid token signed with %s',
    async (alg) => {
      const claims = await verifyIdToken(
        await sign(baseClaims(), { alg }),
        jwks,
        expectations(),
        clock,
      );
      expect(claims.sub).toBe('user-1');
      expect(claims.name).toBe('Zoë Ñúñez');
    },
  );

  it('several audiences with azp = this client', async () => {
    const token = await sign({ ...baseClaims(), aud: [clientId, 'other'], azp: clientId });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('a matching at_hash', async () => {
    const at_hash = await accessTokenHash('the-access-token', 'RS256');
    const token = await sign({ ...baseClaims(), at_hash });
    await expect(
      verifyIdToken(token, jwks, expectations({ accessToken: 'the-access-token' }), clock),
    ).resolves.toBeTruthy();
  });

  it('exp just inside the tolerance', async () => {
    const token = await sign({ ...baseClaims(), exp: nowSeconds - 119 });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('iat just inside the tolerance in the future', async () => {
    const token = await sign({ ...baseClaims(), iat: nowSeconds + 119 });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('a token on a device clock ten minutes slow, once the clock is corrected', async () => {
    const slowDevice = correctedClock(600_000, () => NOW - 600_000);
    const token = await sign(baseClaims());
    await expect(verifyIdToken(token, jwks, expectations(), slowDevice)).resolves.toBeTruthy();
  });

  it('a renewed token without a nonce when none is required', async () => {
    const { nonce: _omitted, ...claims } = baseClaims();
    const token = await sign(claims);
    await expect(
      verifyIdToken(token, jwks, expectations({ nonceRequired: false }), clock),
    ).resolves.toBeTruthy();
  });

  it('a recent enough auth_time when max_age was sent', async () => {
    const token = await sign({ ...baseClaims(), auth_time: nowSeconds - 200 });
    await expect(
      verifyIdToken(token, jwks, expectations({ maxAgeSeconds: 300 }), clock),
    ).resolves.toBeTruthy();
  });

  it('typ JWT', async () => {
    const token = await sign(baseClaims(), { header: { typ: 'JWT' } });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });
});

describe('verifyIdToken rejects, naming the rule', () => {
  const claimCases: [
    string,
    (c: ReturnType<typeof baseClaims>) => Record<string, unknown>,
    string,
  ][] = [
    ['another issuer', (c) => ({ ...c, iss: 'https://evil.example' }), 'iss'],
    ['the issuer with a trailing slash', (c) => ({ ...c, iss: `${issuer}/` }), 'iss'],
    ['no issuer', ({ iss: _i, ...c }) => c, 'iss'],
    ['another audience', (c) => ({ ...c, aud: 'other-client' }), 'aud'],
    ['no audience', ({ aud: _a, ...c }) => c, 'aud'],
    ['an extra audience without azp', (c) => ({ ...c, aud: [clientId, 'other'] }), 'azp'],
    ['azp of another client', (c) => ({ ...c, azp: 'other' }), 'azp'],
    [
      'several audiences, azp of another client',
      (c) => ({ ...c, aud: [clientId, 'x'], azp: 'x' }),
      'azp',
    ],
    ['exp more than the tolerance ago', (c) => ({ ...c, exp: nowSeconds - 121 }), 'exp'],
    ['exp five minutes ago', (c) => ({ ...c, exp: nowSeconds - 300 }), 'exp'],
    ['no exp', ({ exp: _e, ...c }) => c, 'exp'],
    ['iat beyond the tolerance in the future', (c) => ({ ...c, iat: nowSeconds + 121 }), 'iat'],
    ['iat a week ago', (c) => ({ ...c, iat: nowSeconds - 7 * 86400 }), 'iat'],
    ['iat older than allowed', (c) => ({ ...c, iat: nowSeconds - 600 - 121 }), 'iat'],
    ['no iat', ({ iat: _i, ...c }) => c, 'iat'],
    ['no sub', ({ sub: _s, ...c }) => c, 'sub'],
    ['an empty sub', (c) => ({ ...c, sub: '' }), 'sub'],
    ['another nonce', (c) => ({ ...c, nonce: 'attacker' }), 'nonce'],
    ['no nonce at sign-in', ({ nonce: _n, ...c }) => c, 'nonce'],
    ['nbf in the future', (c) => ({ ...c, nbf: nowSeconds + 600 }), 'nbf'],
    ['a string exp', (c) => ({ ...c, exp: 'tomorrow' }), 'exp'],
  ];

  it.each(claimCases)('%s', async (_name, mutate, rule) => {
    expect(await ruleOf(await sign(mutate(baseClaims())))).toBe(rule);
  });

  it('a nonce when none was sent', async () => {
    expect(await ruleOf(await sign(baseClaims()), { nonce: undefined })).toBe('nonce');
  });

  it('a different nonce on renewal', async () => {
    const token = await sign({ ...baseClaims(), nonce: 'other' });
    expect(await ruleOf(token, { nonceRequired: false })).toBe('nonce');
  });

  it('a wrong at_hash', async () => {
    const at_hash = await accessTokenHash('another-access-token', 'RS256');
    expect(
      await ruleOf(await sign({ ...baseClaims(), at_hash }), { accessToken: 'the-access-token' }),
    ).toBe('at_hash');
  });

  it('auth_time older than max_age', async () => {
    const token = await sign({ ...baseClaims(), auth_time: nowSeconds - 1000 });
    expect(await ruleOf(token, { maxAgeSeconds: 300 })).toBe('auth_time');
  });

  it.each([
    ['0 (Glewlwyd without its cookie)', 0],
    ['negative', -5],
    ['not a whole number', nowSeconds - 10.5],
    ['a string', String(nowSeconds - 10)],
    ['beyond the tolerance in the future', nowSeconds + 121],
  ])('an auth_time that cannot be true when max_age was sent: %s', async (_case, authTime) => {
    const token = await sign({ ...baseClaims(), auth_time: authTime });
    expect(await ruleOf(token, { maxAgeSeconds: 300 })).toBe('auth_time');
    await expect(
      verifyIdToken(token, jwks, expectations({ maxAgeSeconds: 300 }), clock),
    ).rejects.toThrow('auth_time cannot be true');
  });

  it('an auth_time just inside the tolerance in the future is accepted with max_age', async () => {
    const token = await sign({ ...baseClaims(), auth_time: nowSeconds + 119 });
    await expect(
      verifyIdToken(token, jwks, expectations({ maxAgeSeconds: 300 }), clock),
    ).resolves.toBeTruthy();
  });

  it('an auth_time that cannot be true is no reason to refuse when no max_age was sent', async () => {
    const token = await sign({ ...baseClaims(), auth_time: 0 });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('no auth_time although max_age was sent', async () => {
    expect(await ruleOf(await sign(baseClaims()), { maxAgeSeconds: 300 })).toBe('auth_time');
  });

  it('a signature from a key the provider never published (same kid)', async () => {
    expect(await ruleOf(await sign(baseClaims(), { key: strangerKey }))).toBe('signature');
  });

  it('an unknown kid', async () => {
    const token = await sign(baseClaims(), { key: strangerKey, header: { kid: 'unknown' } });
    expect(await ruleOf(token)).toBe('key');
  });

  it('no kid, and no published key verifies it', async () => {
    const token = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'RS256' })
      .sign(strangerKey);
    expect(await ruleOf(token)).toBe('signature');
  });

  it('a payload changed after signing', async () => {
    const [header, , signature] = (await sign(baseClaims())).split('.');
    const forged = `${header}.${b64url({ ...baseClaims(), sub: 'admin' })}.${signature}`;
    expect(await ruleOf(forged)).toBe('signature');
  });

  it.each(['none', 'None', 'NONE'])('alg %s, unsigned', async (alg) => {
    const token = `${b64url({ alg, typ: 'JWT' })}.${b64url(baseClaims())}.`;
    expect(await ruleOf(token)).toBe('alg');
  });

  it('HS256 signed with the public key as the secret (key confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(keys.RS256?.jwk));
    const token = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'key-RS256' })
      .sign(secret);
    expect(await ruleOf(token)).toBe('alg');
  });

  it('an alg the provider does not advertise (PS256 when only RS256 is)', async () => {
    expect(
      await ruleOf(await sign(baseClaims(), { alg: 'PS256' }), { algorithms: ['RS256'] }),
    ).toBe('alg');
  });

  it('an access token (typ at+jwt) passed off as an ID token', async () => {
    expect(await ruleOf(await sign(baseClaims(), { header: { typ: 'at+jwt' } }))).toBe('typ');
  });

  it.each([undefined, ''])('no token at all (%j)', async (token) => {
    expect(await ruleOf(token)).toBe('missing');
  });

  it.each(['not-a-jwt', 'a.b', 'a.b.c.d.e', '...'])('garbage %s', async (token) => {
    expect(await ruleOf(token)).toBe('malformed');
  });

  it('an expired token on a device clock ten minutes fast is still expired', async () => {
    const fastDevice = correctedClock(-600_000, () => NOW + 600_000);
    const token = await sign({ ...baseClaims(), exp: nowSeconds - 300 });
    const error = await verifyIdToken(token, jwks, expectations(), fastDevice).catch(
      (e: unknown) => e,
    );
    expect((error as IdTokenError).rule).toBe('exp');
  });
});

describe('verifyIdToken at the edges', () => {
  it.each([
    ['iat exactly the tolerance in the future', nowSeconds + 120],
    ['iat exactly as old as allowed (600 s + the tolerance)', nowSeconds - 600 - 120],
    ['iat older than 600 s, within the tolerance', nowSeconds - 700],
  ])('accepts %s', async (_case, iat) => {
    const token = await sign({ ...baseClaims(), iat });
    await expect(verifyIdToken(token, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('accepts auth_time exactly max_age + the tolerance ago', async () => {
    const token = await sign({ ...baseClaims(), auth_time: nowSeconds - 300 - 120 });
    await expect(
      verifyIdToken(token, jwks, expectations({ maxAgeSeconds: 300 }), clock),
    ).resolves.toBeTruthy();
  });

  it('at_hash is optional in the code flow: none in the token, or no access token to match', async () => {
    const withoutHash = await sign(baseClaims());
    await expect(
      verifyIdToken(withoutHash, jwks, expectations({ accessToken: 'the-access-token' }), clock),
    ).resolves.toBeTruthy();
    const at_hash = await accessTokenHash('the-access-token', 'RS256');
    const withHash = await sign({ ...baseClaims(), at_hash });
    await expect(verifyIdToken(withHash, jwks, expectations(), clock)).resolves.toBeTruthy();
  });

  it('refuses a sub that is not a string', async () => {
    expect(await ruleOf(await sign({ ...baseClaims(), sub: 42 }))).toBe('sub');
  });

  it('refuses a typ that only starts like JWT', async () => {
    expect(await ruleOf(await sign(baseClaims(), { header: { typ: 'JWT+evil' } }))).toBe('typ');
  });

  it('refuses an alg this app does not support even when the provider advertises it', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(keys.RS256?.jwk));
    const token = await new SignJWT(baseClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'key-RS256' })
      .sign(secret);
    expect(await ruleOf(token, { algorithms: ['RS256', 'HS256'] })).toBe('alg');
  });

  it('a signed payload that is not a claims set is malformed', async () => {
    const key = keys.RS256;
    if (!key) throw new Error('RS256');
    const token = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid })
      .sign(key.privateKey);
    const error = await verifyIdToken(token, jwks, expectations(), clock).catch((e) => e);
    expect(error).toMatchObject({ rule: 'malformed', message: 'ERR_JWT_INVALID' });
  });

  it.each([
    ['the keys cannot be fetched', new TypeError('Failed to fetch'), 'key'],
    ['the keys time out', new errors.JWKSTimeout(), 'key'],
    ['the key set is invalid', new errors.JWKSInvalid(), 'key'],
    ['discovery failed', new IdTokenError('discovery', 'no discovery'), 'discovery'],
    ['anything else', new Error('?'), 'malformed'],
  ])('names the rule when %s', async (_case, thrown, rule) => {
    const failingKeys = () => Promise.reject(thrown);
    const error = await verifyIdToken(await sign(baseClaims()), failingKeys, expectations(), clock)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).rule).toBe(rule);
  });
});

describe('verifyIdToken says in words which check failed (shown to QA with the rule)', () => {
  const header = (value: object) => `${b64url(value)}.${b64url(baseClaims())}.`;
  const cases: [
    string,
    () => Promise<string | undefined>,
    Partial<IdTokenExpectations>,
    string | RegExp,
  ][] = [
    ['no token', async () => undefined, {}, 'the response has no ID token'],
    ['not a JWS', async () => 'not-a-jwt', {}, 'the ID token is not a JWS'],
    ['alg none', async () => header({ alg: 'none' }), {}, 'alg none is not allowed'],
    ['no alg', async () => header({ typ: 'JWT' }), {}, 'alg (none) is not allowed'],
    [
      'alg HS256',
      async () =>
        new SignJWT(baseClaims())
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode('secret')),
      { algorithms: ['RS256', 'HS256'] },
      'alg HS256 is not allowed',
    ],
    [
      'typ at+jwt',
      () => sign(baseClaims(), { header: { typ: 'at+jwt' } }),
      {},
      'typ at+jwt is not an ID token type',
    ],
    ['an empty sub', () => sign({ ...baseClaims(), sub: '' }), {}, 'sub is empty'],
    [
      'iat ahead',
      () => sign({ ...baseClaims(), iat: nowSeconds + 121 }),
      {},
      'iat is in the future',
    ],
    [
      'iat old',
      () => sign({ ...baseClaims(), iat: nowSeconds - 721 }),
      {},
      'iat is too far in the past',
    ],
    [
      'another issuer',
      () => sign({ ...baseClaims(), iss: 'https://evil.example' }),
      {},
      /^iss check failed: ./,
    ],
    [
      'expired',
      () => sign({ ...baseClaims(), exp: nowSeconds - 300 }),
      {},
      'the ID token has expired',
    ],
    [
      'a wrong at_hash',
      async () => sign({ ...baseClaims(), at_hash: await accessTokenHash('other', 'RS256') }),
      { accessToken: 'the-access-token' },
      'at_hash does not match the access token',
    ],
    [
      'no auth_time',
      () => sign(baseClaims()),
      { maxAgeSeconds: 300 },
      'auth_time is missing although max_age was sent',
    ],
    [
      'an old auth_time',
      () => sign({ ...baseClaims(), auth_time: nowSeconds - 1000 }),
      { maxAgeSeconds: 300 },
      'the authentication is older than max_age',
    ],
    [
      'two audiences, no azp',
      () => sign({ ...baseClaims(), aud: [clientId, 'x'] }),
      {},
      'several audiences but no azp',
    ],
    [
      'azp of another client',
      () => sign({ ...baseClaims(), azp: 'x' }),
      {},
      'azp is not this client',
    ],
    [
      'no nonce',
      async () => {
        const { nonce: _n, ...claims } = baseClaims();
        return sign(claims);
      },
      {},
      'nonce is missing',
    ],
    [
      'another nonce',
      () => sign({ ...baseClaims(), nonce: 'x' }),
      {},
      'nonce does not match the request',
    ],
    [
      'an unpublished key',
      () => sign(baseClaims(), { key: strangerKey }),
      {},
      'the signature does not verify',
    ],
    [
      'an unknown kid',
      () => sign(baseClaims(), { key: strangerKey, header: { kid: 'unknown' } }),
      {},
      'no published key of the provider verifies this token',
    ],
  ];

  it.each(cases)('%s', async (_case, token, overrides, words) => {
    const error = await verifyIdToken(await token(), jwks, expectations(overrides), clock).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IdTokenError);
    if (typeof words === 'string') expect((error as IdTokenError).message).toBe(words);
    else expect((error as IdTokenError).message).toMatch(words);
  });

  it.each([
    [new TypeError('Failed to fetch'), "the provider's signing keys could not be loaded"],
    [new Error('?'), 'the ID token could not be read'],
  ])('keys failing with %s', async (thrown, words) => {
    const failingKeys = () => Promise.reject(thrown);
    await expect(
      verifyIdToken(await sign(baseClaims()), failingKeys, expectations(), clock),
    ).rejects.toThrow(words);
  });
});
