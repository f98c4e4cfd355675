// DPoP-bound access tokens (RFC 9449) over real HTTP: each rule of §4.3 / §7.1 broken alone,
// next to a proof that passes, so every test fails if its one check is removed.
import { request } from 'node:http';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDpopKey,
  createProof,
  type DpopKey,
  type ProofOptions,
} from '../dpop-test-proofs.ts';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Answer, type Harness, INVALID_TOKEN, SPA, startHarness } from './test-harness.ts';
import { AUDIENCE } from './test-tokens.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  const ALICE = 'sub-alice';
  const HTU = `${AUDIENCE}/contacts`;
  const ALGS = 'algs="ES256 ES384 PS256 RS256 EdDSA Ed25519"';
  let h: Harness;
  let key: DpopKey;
  let token: string;

  beforeAll(async () => {
    h = await startHarness(db.settings);
    await h.api.store.createContact({ iss: h.issuer.issuer, sub: ALICE }, { name: 'Ada' });
    key = await createDpopKey();
    token = await h.mint(ALICE, { claims: { cnf: { jkt: key.jkt } } });
  });
  afterAll(() => h.close());

  const now = () => Math.floor(Date.now() / 1000);
  const proof = (options: Partial<ProofOptions> = {}, signer: DpopKey = key) =>
    createProof(signer, { htu: HTU, token, ...options });

  function send(proofs: string[], init: { token?: string; method?: string; path?: string } = {}) {
    const headers: Record<string, string> = { authorization: `DPoP ${init.token ?? token}` };
    if (proofs[0] !== undefined) headers.dpop = proofs[0];
    return h.call(init.path ?? '/contacts', { method: init.method, headers });
  }

  function expectProofRefused(answer: Answer, description?: RegExp) {
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP realm="contacts", error="invalid_dpop_proof", /);
    expect(answer.challenge).toContain(ALGS);
    expect(answer.body).toMatchObject({ status: 401, error: 'invalid_dpop_proof' });
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (description) expect(answer.body.detail).toMatch(description);
  }

  describe('a correct proof', () => {
    it('is accepted with the DPoP scheme and sees the rows', async () => {
      const answer = await send([await proof()]);
      expect(answer.status).toBe(200);
      expect(answer.body.items?.map((c) => c.name)).toEqual(['Ada']);
    });

    it('ignores the query string in htu (RFC 9449 §4.3)', async () => {
      const answer = await send([await proof({ htu: `${HTU}?limit=5#x` })], {
        path: '/contacts?limit=5',
      });
      expect(answer.status).toBe(200);
    });

    it('works for an Ed25519 key too', async () => {
      const ed = await createDpopKey('Ed25519');
      const edToken = await h.mint(ALICE, { claims: { cnf: { jkt: ed.jkt } } });
      const answer = await send([await createProof(ed, { htu: HTU, token: edToken })], {
        token: edToken,
      });
      expect(answer.status).toBe(200);
    });
  });

  describe('the token and the scheme', () => {
    it('refuses a DPoP-bound token sent as Bearer (downgrade), naming the binding', async () => {
      const answer = await h.call('/contacts', { token, headers: { dpop: await proof() } });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toMatch(/^DPoP realm="contacts", error="invalid_token", /);
      expect(answer.body.detail).toMatch(/bound to a key/);
    });

    it('refuses an unbound token sent with the DPoP scheme', async () => {
      const unbound = await h.mint(ALICE);
      const answer = await send([await proof({ token: unbound })], { token: unbound });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toMatch(/^DPoP realm="contacts", error="invalid_token", /);
    });

    it('keeps accepting unbound Bearer tokens (providers without DPoP)', async () => {
      const answer = await h.call('/contacts', { token: await h.mint(ALICE) });
      expect(answer.status).toBe(200);
    });

    it('answers an invalid token under the DPoP scheme with a DPoP challenge', async () => {
      const expired = await h.mint(ALICE, { claims: { cnf: { jkt: key.jkt }, exp: now() - 60 } });
      const answer = await send([await proof({ token: expired })], { token: expired });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(
        `DPoP realm="contacts", error="invalid_token", error_description="The access token is invalid or expired", ${ALGS}`,
      );
    });

    it('answers a missing scope under the DPoP scheme with insufficient_scope', async () => {
      const answer = await send([await proof({ htm: 'POST' })], { method: 'POST' });
      expect(answer.status).toBe(403);
      expect(answer.challenge).toMatch(
        /^DPoP .*error="insufficient_scope".*scope="contacts:write"/,
      );
    });
  });

  describe('refused proofs (invalid_dpop_proof)', () => {
    it('no DPoP header', async () => expectProofRefused(await send([])));

    it('two DPoP headers', async () => {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const url = new URL('/contacts', h.url);
        Promise.all([proof(), proof()]).then(([a, b]) => {
          // raw form, so the two values stay two headers (and Host must be given by hand)
          const raw = ['host', url.host, 'authorization', `DPoP ${token}`, 'dpop', a, 'dpop', b];
          request(url, { headers: raw }, (res) => {
            let text = '';
            res
              .on('data', (chunk) => (text += chunk))
              .on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  headers: new Headers(res.headers as Record<string, string>),
                  challenge: res.headers['www-authenticate'] ?? null,
                  body: JSON.parse(text),
                }),
              );
          })
            .on('error', reject)
            .end();
        }, reject);
      });
      expectProofRefused(answer, /exactly one/);
    });

    it('not a JWT', async () => expectProofRefused(await send(['not.a.jwt'])));
    it('typ JWT instead of dpop+jwt', async () =>
      expectProofRefused(await send([await proof({ header: { typ: 'JWT' } })])));
    it('a symmetric alg (HS256)', async () => {
      const hmacProof = await createProof(key, {
        htu: HTU,
        token,
        header: { alg: 'HS256' },
        signWith: new Uint8Array(32) as unknown as CryptoKey,
      });
      expectProofRefused(await send([hmacProof]));
    });
    it('alg none', async () => {
      const [head, body] = (await proof()).split('.');
      const header = {
        ...JSON.parse(Buffer.from(head ?? '', 'base64url').toString()),
        alg: 'none',
      };
      const unsigned = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${body}.`;
      expectProofRefused(await send([unsigned]));
    });
    it('signed by a key other than the embedded one', async () => {
      const other = await generateKeyPair('ES256');
      expectProofRefused(await send([await proof({ signWith: other.privateKey })]));
    });
    it('an embedded private key', async () => {
      const secretKey = await createDpopKey();
      const { exportJWK } = await import('jose');
      const privateJwk = await exportJWK(secretKey.privateKey);
      expectProofRefused(await send([await proof({ header: { jwk: privateJwk } }, secretKey)]));
    });
    it('no embedded key', async () =>
      expectProofRefused(await send([await proof({ header: { jwk: undefined } })])));
    it('htm for another method', async () =>
      expectProofRefused(await send([await proof({ htm: 'POST' })]), /method/));
    it('htu for another path', async () =>
      expectProofRefused(await send([await proof({ htu: `${AUDIENCE}/contacts/x` })]), /URL/));
    it('htu for another origin', async () =>
      expectProofRefused(
        await send([await proof({ htu: 'https://evil.example/contacts' })]),
        /URL/,
      ));
    it.each([['jti'], ['htm'], ['htu'], ['iat']])('no %s', async (claim) =>
      expectProofRefused(await send([await proof({ omit: [claim] })])),
    );
    it('no ath', async () =>
      expectProofRefused(await send([await proof({ omit: ['ath'] })]), /ath/));
    it('ath of another token', async () =>
      expectProofRefused(await send([await proof({ token: await h.mint(ALICE) })]), /ath/));
    it('a key other than the token is bound to (cnf.jkt)', async () => {
      const other = await createDpopKey();
      expectProofRefused(await send([await proof({}, other)]), /another key/);
    });
    it('a replayed proof (same jti)', async () => {
      const once = await proof();
      expect((await send([once])).status).toBe(200);
      expectProofRefused(await send([once]), /already used/);
    });
    it('a failed proof does not use up its jti', async () => {
      const jti = crypto.randomUUID();
      expectProofRefused(await send([await proof({ claims: { jti }, htm: 'PUT' })]));
      expect((await send([await proof({ claims: { jti } })])).status).toBe(200);
    });
  });

  describe('freshness: iat window and server nonces', () => {
    it.each([
      ['10 minutes slow', -600],
      ['10 minutes fast', 600],
    ])('a device clock %s gets use_dpop_nonce, then succeeds with the nonce', async (_n, skew) => {
      const iat = now() + skew;
      const first = await send([await proof({ claims: { iat } })]);
      expect(first.status).toBe(401);
      expect(first.challenge).toMatch(/^DPoP realm="contacts", error="use_dpop_nonce", /);
      expect(first.body.error).toBe('use_dpop_nonce');
      const nonce = first.headers.get('dpop-nonce');
      expect(nonce).toBeTruthy();
      const second = await send([await proof({ claims: { iat, nonce } })]);
      expect(second.status).toBe(200);
    });

    it('an iat two minutes off without a nonce is not fresh', async () => {
      const answer = await send([await proof({ claims: { iat: now() - 120 } })]);
      expect(answer.body.error).toBe('use_dpop_nonce');
    });

    it('a forged or foreign nonce gets use_dpop_nonce with a real one', async () => {
      const answer = await send([await proof({ claims: { nonce: 'abc.AAAAAAAAAAAAAAAAAAAAAA' } })]);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('use_dpop_nonce');
      expect(answer.headers.get('dpop-nonce')).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    });

    it('a replayed proof with a nonce is refused even though its iat is not checked', async () => {
      const challenge = await send([await proof({ claims: { iat: now() - 900 } })]);
      const nonce = challenge.headers.get('dpop-nonce');
      const once = await proof({ claims: { iat: now() - 900, nonce } });
      expect((await send([once])).status).toBe(200);
      expectProofRefused(await send([once]), /already used/);
    });
  });

  it('a nonce getting old is answered with a new one on success', async () => {
    const challenge = await send([await proof({ claims: { iat: now() - 600 } })]);
    const nonce = challenge.headers.get('dpop-nonce');
    const fresh = await send([await proof({ claims: { iat: now() - 600, nonce } })]);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('dpop-nonce')).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 150_000 }); // the API runs in-process
    try {
      const stale = await send([await proof({ claims: { iat: now() - 600, nonce } })]);
      expect(stale.status).toBe(200);
      expect(stale.headers.get('dpop-nonce')).toMatch(/^[0-9a-z]+\./);
      expect(stale.headers.get('dpop-nonce')).not.toBe(nonce);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('CORS for DPoP', () => {
    it('allows the DPoP request header and exposes DPoP-Nonce to the SPA', async () => {
      const preflight = await fetch(`${h.url}/contacts`, {
        method: 'OPTIONS',
        headers: {
          origin: SPA,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, dpop',
        },
      });
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'dpop',
      );
      const answer = await fetch(`${h.url}/contacts`, { headers: { origin: SPA } });
      expect(answer.headers.get('access-control-expose-headers')?.toLowerCase()).toContain(
        'dpop-nonce',
      );
    });
  });

  it('a user over the per-minute proof bound gets 429 with Retry-After; another user does not', async () => {
    const bounded = await h.startWorker({ dpopProofsPerMinute: 2 });
    const via = (p: string, t = token) =>
      h.call('/contacts', { via: bounded, headers: { authorization: `DPoP ${t}`, dpop: p } });
    expect((await via(await proof())).status).toBe(200); // positive control
    expect((await via(await proof())).status).toBe(200);
    const over = await via(await proof());
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(over.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    const bobKey = await createDpopKey();
    const bob = await h.mint('sub-bob', { claims: { cnf: { jkt: bobKey.jkt } } });
    const bobProof = await createProof(bobKey, { htu: HTU, token: bob });
    expect((await via(bobProof, bob)).status).toBe(200);
  });

  it('the Bearer answers are unchanged for plain bearer tokens', async () => {
    const answer = await h.call('/contacts', { token: 'a.b.c' });
    expect(answer.challenge).toBe(INVALID_TOKEN);
  });
});
