// Security checklist R1–R11 and negative cases 41–57, over real HTTP: every answer is
// checked for status, WWW-Authenticate and problem+json body.
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import {
  type Answer,
  type Harness,
  INVALID_REQUEST,
  INVALID_TOKEN,
  insufficientScope,
  invalidTokenBody,
  listen,
  REALM_ONLY,
  startHarness,
  startIssuer,
} from './test-harness.ts';
import { base64url, type MintOptions } from './test-tokens.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  const ALICE = 'sub-alice';
  let h: Harness;
  let alicesContact: string;

  beforeAll(async () => {
    h = await startHarness(db.settings);
    alicesContact = (
      await h.api.store.createContact({ iss: h.issuer.issuer, sub: ALICE }, { name: 'Ada' })
    ).id;
  });
  afterAll(() => h.close());

  const now = () => Math.floor(Date.now() / 1000);
  const list = (token?: string, extra: { headers?: Record<string, string> } = {}) =>
    h.call('/contacts', { token, ...extra });

  function expectInvalidToken(answer: Answer) {
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe(INVALID_TOKEN);
    expect(answer.body).toEqual(invalidTokenBody);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }

  describe('where the token may come from (R1, RFC 6750 §2)', () => {
    it('41: no credentials → 401 with a bare Bearer challenge and no error code', async () => {
      const answer = await list();
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
      expect(answer.body).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'This resource needs an access token in an Authorization: Bearer header.',
      });
    });

    it.each([['Basic YWxpY2U6cHc='], ['Digest x'], ['Bearer'], ['bearer']])(
      'an unsupported scheme or an empty Bearer counts as no credentials: %s',
      async (authorization) => {
        const answer = await h.call('/contacts', { headers: { authorization } });
        expect(answer.status).toBe(401);
        expect([REALM_ONLY, INVALID_TOKEN]).toContain(answer.challenge);
        expect(answer.body.status).toBe(401);
      },
    );

    it.each([['garbage'], ['a.b.c'], ['not a token'], ['eyJ.eyJ.']])(
      '42: a malformed token → invalid_token: %s',
      async (token) => expectInvalidToken(await list(token)),
    );

    it('43: a token in the query string only → 401, refused without an error code', async () => {
      const token = await h.mint(ALICE);
      const answer = await h.call(`/contacts?access_token=${token}`);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
      expect(answer.body.detail).toMatch(/never in the URL/);
      expect(JSON.stringify(answer.body)).not.toContain(token);
    });

    it('43: a query token with a percent-encoded name is found too', async () => {
      const token = await h.mint(ALICE);
      const answer = await h.call(`/contacts?limit=5&access%5Ftoken=${token}`);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
      const both = await h.call(`/contacts?acc%65ss_token=${token}`, { token });
      expect(both.status).toBe(400);
    });

    it('43: a token in the query string and the header → 400 invalid_request', async () => {
      const token = await h.mint(ALICE);
      const answer = await h.call(`/contacts?access_token=${token}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.challenge).toBe(INVALID_REQUEST);
      expect(answer.body).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it('a token in a form body is not read: the body is never a credential', async () => {
      const token = await h.mint(ALICE, { claims: { scope: 'contacts:write' } });
      const answer = await h.call('/contacts', {
        method: 'POST',
        body: `access_token=${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
    });
  });

  describe('claims (R3, R4, R6, R7)', () => {
    it('a valid token is accepted and sees its own rows', async () => {
      const answer = await list(await h.mint(ALICE));
      expect(answer.status).toBe(200);
      expect(answer.challenge).toBeNull();
      expect(answer.body.items?.map((c) => c.id)).toEqual([alicesContact]);
    });

    it.each([
      ['44: exp beyond the leeway', { claims: { exp: now() - 31 } }],
      ['45: nbf in the future', { claims: { nbf: now() + 120 } }],
      ['iat in the future', { claims: { iat: now() + 120 } }],
      ['46: wrong iss', { claims: { iss: 'https://evil.example' } }],
      ['46: iss differing by a trailing slash', { claims: { iss: 'SELF/' } }],
      ['47: aud = the client id (an ID-token audience)', { claims: { aud: 'contacts-spa' } }],
      ['47: aud = another API', { claims: { aud: ['https://other-api.example'] } }],
      ['57: no sub', { omit: ['sub'] }],
      ['57: no client_id', { omit: ['client_id'] }],
      ['57: no jti', { omit: ['jti'] }],
      ['57: no iat', { omit: ['iat'] }],
      ['no exp', { omit: ['exp'] }],
      ['an empty sub', { claims: { sub: '' } }],
      ['a non-string scope', { claims: { scope: ['contacts:read'] } }],
      ['an mTLS-bound token (cnf without jkt)', { claims: { cnf: { 'x5t#S256': 'abc' } } }],
    ])('rejects %s', async (_name, options: MintOptions) => {
      const claims = { ...options.claims };
      if (claims.iss === 'SELF/') claims.iss = `${h.issuer.issuer}/`;
      expectInvalidToken(await list(await h.mint(ALICE, { ...options, claims })));
    });

    it('accepts exp just inside the 30 s leeway, and aud as an array containing the API', async () => {
      const token = await h.mint(ALICE, {
        claims: { exp: now() - 10, aud: ['https://other.example', 'http://localhost:4001'] },
      });
      expect((await list(token)).status).toBe(200);
    });

    it('accepts tokens of a second trusted issuer, as a different user with the same sub', async () => {
      const answer = await list(await h.mint(ALICE, {}, h.other));
      expect(answer.status).toBe(200);
      expect(answer.body.items).toEqual([]); // (iss, sub) is the key, not sub alone
    });
  });

  describe('type, algorithm and keys (R2, R5, R10)', () => {
    it.each([
      ['53: typ JWT', { typ: 'JWT' }],
      ['53: typ missing', { typ: undefined }],
      ['54: typ of an ID token (no typ) with an ID-token audience', { typ: undefined }],
      ['typ dpop+jwt', { typ: 'dpop+jwt' }],
    ])('rejects %s', async (_name, header) => {
      const token = await h.mint(ALICE, { header });
      expectInvalidToken(await list(token));
    });

    it('accepts typ application/at+jwt (RFC 9068 §2.1) and ES256', async () => {
      const token = await h.mint(ALICE, { header: { typ: 'application/at+jwt' } });
      expect((await list(token)).status).toBe(200);
      const es = await h.mint(ALICE, { key: h.issuer.keys.es });
      expect((await list(es)).status).toBe(200);
    });

    it.each([['none'], ['None'], ['NONE'], ['nOnE']])(
      '48: alg %s with the signature stripped',
      async (alg) => {
        const [, payload] = (await h.mint(ALICE)).split('.');
        const token = `${base64url({ alg, typ: 'at+jwt', kid: 'rsa-1' })}.${payload}.`;
        expectInvalidToken(await list(token));
      },
    );

    it('49: HS256 signed with the issuer public key as the HMAC secret (key confusion)', async () => {
      const pem = await exportSPKI(h.issuer.keys.rsa.publicKey);
      const [, payload] = (await h.mint(ALICE)).split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'rsa-1' })
        .sign(new TextEncoder().encode(pem));
      expectInvalidToken(await list(token));
    });

    it('50: payload changed, original signature kept', async () => {
      const [header, , signature] = (await h.mint(ALICE)).split('.');
      const forged = JSON.parse(
        Buffer.from((await h.mint('sub-bob')).split('.')[1] ?? '', 'base64url').toString(),
      );
      const token = `${header}.${base64url(forged)}.${signature}`;
      expectInvalidToken(await list(token));
    });

    it('signature from a rogue key that borrows a trusted kid', async () => {
      const token = await h.mint(ALICE, { key: { ...h.issuer.keys.rogue, kid: 'rsa-1' } });
      expectInvalidToken(await list(token));
    });

    it('52: jku, x5u and an embedded jwk are never followed or used: no fetch happens', async () => {
      const attacker = await listen(() => ({ status: 200, body: h.issuer.keys.jwks }));
      try {
        const rogue = h.issuer.keys.rogue;
        const { exportJWK } = await import('jose');
        const jwk = await exportJWK(rogue.publicKey);
        for (const header of [
          { jku: `${attacker.url}/jwks.json` },
          { x5u: `${attacker.url}/cert.pem` },
          { jwk },
        ]) {
          const token = await h.mint(ALICE, { key: rogue, header });
          expectInvalidToken(await list(token));
        }
        expect(attacker.hits).toEqual([]);
      } finally {
        attacker.server.close();
      }
    });

    it('51 / R10: unknown kid → at most one JWKS refetch per cooldown; a rotated-in key is found', async () => {
      const jwksFetches = () => h.issuer.hits.filter((p) => p === '/jwks').length;
      expect((await list(await h.mint(ALICE))).status).toBe(200);
      const before = jwksFetches();
      expect(before).toBeGreaterThanOrEqual(1);

      const rogue = () =>
        h.mint(ALICE, { key: h.issuer.keys.rogue, claims: { jti: crypto.randomUUID() } });
      for (const answer of await Promise.all(
        [1, 2, 3, 4, 5].map(async () => list(await rogue())),
      )) {
        expectInvalidToken(answer);
      }
      // The issuer rotates: the rogue key is now published. Within the cooldown it is not
      // fetched again; once the cooldown has passed, one refetch finds it.
      const { exportJWK } = await import('jose');
      h.issuer.jwks.keys.push({
        ...(await exportJWK(h.issuer.keys.rogue.publicKey)),
        kid: 'rogue-1',
      });
      expect(jwksFetches() - before).toBeLessThanOrEqual(1);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
      try {
        const fresh = await h.mint(ALICE, { key: h.issuer.keys.rogue, claims: { iat: now() } });
        expect((await list(fresh)).status).toBe(200);
        const afterRotation = jwksFetches();
        await Promise.all(
          [1, 2, 3].map(async () =>
            list(await h.mint(ALICE, { key: { ...h.issuer.keys.rogue, kid: 'nope' } })),
          ),
        );
        expect(jwksFetches()).toBe(afterRotation);
      } finally {
        vi.useRealTimers();
        h.issuer.jwks.keys.pop();
      }
    });

    it('unusable JWKs in the set are ignored; a token naming one is refused, not a 5xx', async () => {
      const other = h.other;
      other.jwks.keys.unshift(
        { kty: 'AKP', alg: 'ML-DSA-44', kid: 'pq-1', pub: 'AAAA' },
        { kty: 'RSA', alg: 'RS256', kid: 'broken', n: 'AA', e: 'AQAB' },
        { kty: 'oct', kid: 'sym', k: 'c2VjcmV0' },
      );
      expect((await list(await h.mint('carol', {}, other))).status).toBe(200);
      for (const kid of ['pq-1', 'broken', 'sym']) {
        const token = await h.mint('carol', { key: { ...other.keys.rsa, kid } }, other);
        expectInvalidToken(await list(token));
      }
    });
  });

  describe('scopes (R8, RFC 6750 §3.1)', () => {
    it('55: a read-only token may not write → 403 insufficient_scope naming contacts:write', async () => {
      const token = await h.mint(ALICE);
      for (const [method, path] of [
        ['POST', '/contacts'],
        ['PUT', `/contacts/${alicesContact}`],
        ['DELETE', `/contacts/${alicesContact}`],
      ] as const) {
        const answer = await h.call(path, {
          method,
          token,
          body: method === 'DELETE' ? undefined : { name: 'x' },
        });
        expect(answer.status).toBe(403);
        expect(answer.challenge).toBe(insufficientScope('contacts:write'));
        expect(answer.body).toEqual({
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          detail: 'The access token lacks the contacts:write scope.',
          error: 'insufficient_scope',
        });
      }
    });

    it('a write-only token may not read → 403 naming contacts:read', async () => {
      const answer = await list(await h.mint(ALICE, { claims: { scope: 'contacts:write' } }));
      expect(answer.status).toBe(403);
      expect(answer.challenge).toBe(insufficientScope('contacts:read'));
    });

    it('a token without a scope claim has no scopes', async () => {
      const answer = await list(await h.mint(ALICE, { omit: ['scope'] }));
      expect(answer.status).toBe(403);
      expect(answer.challenge).toBe(insufficientScope('contacts:read'));
    });

    it('auth comes before validation: a bad body from an unauthenticated caller gets 401', async () => {
      const answer = await h.call('/contacts', { method: 'POST', body: { nope: 1 } });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
    });
  });

  describe('availability and logging (R14)', () => {
    /** What a leak would show of a token: the whole of it, its claims, its signature. */
    const partsOf = (token: string) => [token, ...token.split('.').slice(1)];
    /** How each engine says its connection is gone. */
    const closedDatabase = {
      sqlite: /The database connection is not open/,
      postgres: /Cannot use a pool after calling end on the pool/,
    }[engine];

    it('tokens never reach the log, even when an error is logged', async () => {
      const down = await startIssuer();
      down.server.close();
      const broken = await h.startWorker({ trustedIssuers: [h.issuer.issuer, down.issuer] });
      await broken.store.close();
      h.logged.length = 0;
      // 503: this token's issuer cannot be asked for its keys while the token is verified.
      const unverifiable = await h.mint(ALICE, {}, down);
      const refused = await h.call('/contacts', { token: unverifiable, via: broken });
      expect(refused.status).toBe(503);
      // 500: a verified token, then the database fails; the URL holds part of its signature
      // too (as one search word of at most 200 characters, so the request is valid).
      const verified = await h.mint(ALICE);
      const inUrl = (verified.split('.')[2] ?? '').replace(/[-_]/g, '').slice(0, 120);
      const failed = await h.call(`/contacts?q=${inUrl}`, { token: verified, via: broken });
      expect(failed.status).toBe(500);
      // Positive control: each 5xx left its line, saying what failed.
      expect(h.logged).toEqual([
        expect.stringMatching(/^contacts API: GET \S+ failed: .*discovery at .* failed/),
        expect.stringMatching(
          new RegExp(`^contacts API: GET \\S+ failed: .*${closedDatabase.source}`),
        ),
      ]);
      const log = h.logged.join('\n');
      for (const part of [...partsOf(unverifiable), ...partsOf(verified), inUrl]) {
        expect(log).not.toContain(part);
      }
    });
  });
});
