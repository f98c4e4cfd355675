// Negative cases 41–57 of the security checklist, end to end through app.inject() with real
// keys, real tokens and a real (in-memory) SQLite store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { type ContactStore, openContactStore } from './store.ts';
import {
  AUDIENCE,
  base64url,
  CLIENT_ID,
  createTestKeys,
  ISSUER,
  mintAccessToken,
  type TestKeys,
} from './test-tokens.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const REALM_ONLY = 'Bearer realm="contacts"';
const INVALID_TOKEN =
  'Bearer realm="contacts", error="invalid_token", error_description="The access token is invalid or expired"';
const INVALID_REQUEST = 'Bearer realm="contacts", error="invalid_request"';
const INSUFFICIENT_SCOPE =
  'Bearer realm="contacts", error="insufficient_scope", scope="contacts:read"';

const ALICE = 'sub-alice';
const BOB = 'sub-bob';

let keys: TestKeys;
let store: ContactStore;
let app: ReturnType<typeof buildApp>;
const logged: string[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
  store = openContactStore(':memory:');
  store.createContact(
    { iss: ISSUER, sub: ALICE },
    { name: 'Ada', email: null, phone: null, company: null },
  );
  store.createContact(
    { iss: ISSUER, sub: BOB },
    { name: 'Alan', email: null, phone: null, company: null },
  );
  const verifier = createAccessTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    getKey: keys.getKey,
  });
  app = buildApp({
    store,
    verifier,
    corsOrigins: ['http://localhost:5173'],
    logger: { error: (line) => logged.push(line) },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  store.close();
});

function get(headers: Record<string, string | string[]> = {}, url = '/contacts') {
  return app.inject({ method: 'GET', url, headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function expectRejected(token: string, challenge = INVALID_TOKEN) {
  const res = await get(bearer(token));
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toBe(challenge);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['cache-control']).toBe('no-store');
  // R14: nothing of the token comes back (its header and payload segments included).
  for (const part of token.split('.').filter((p) => p.length > 8)) {
    expect(res.body).not.toContain(part);
  }
  return res;
}

describe('a valid access token', () => {
  it('lists only its owner contacts', async () => {
    const alice = await get(bearer(await mintAccessToken(keys, ALICE)));
    expect(alice.statusCode).toBe(200);
    expect(alice.json().items.map((c: { name: string }) => c.name)).toEqual(['Ada']);
    const bob = await get(bearer(await mintAccessToken(keys, BOB)));
    expect(bob.json().items.map((c: { name: string }) => c.name)).toEqual(['Alan']);
  });

  it('is accepted signed with ES256, with extra scopes, and with a lower-case scheme', async () => {
    const token = await mintAccessToken(keys, ALICE, {
      key: keys.es,
      claims: { scope: 'openid contacts:write contacts:read' },
    });
    const res = await get({ authorization: `bearer ${token}` });
    expect(res.statusCode).toBe(200);
  });

  it('is accepted just inside the clock tolerance, and with aud as an array', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintAccessToken(keys, ALICE, {
      claims: { exp: now - 10, nbf: now + 10, aud: ['other-api', AUDIENCE] },
    });
    expect((await get(bearer(token))).statusCode).toBe(200);
  });
});

describe('no usable credentials (41, 43)', () => {
  it('no Authorization header → 401 with a bare challenge', async () => {
    const res = await get();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(REALM_ONLY);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: expect.any(String),
    });
  });

  it('another scheme → 401 with a bare challenge', async () => {
    for (const authorization of ['Basic YWxpY2U6cHc=', 'DPoP abc.def.ghi', 'Token abc']) {
      const res = await get({ authorization });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REALM_ONLY);
    }
  });

  it('token in the query → 401, never accepted', async () => {
    const token = await mintAccessToken(keys, ALICE);
    const res = await get({}, `/contacts?access_token=${token}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(REALM_ONLY);
    expect(res.body).not.toContain(token.split('.')[1]);
  });

  it('token in the query and the header → 400 invalid_request', async () => {
    const token = await mintAccessToken(keys, ALICE);
    const res = await get(bearer(token), `/contacts?access_token=${token}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['www-authenticate']).toBe(INVALID_REQUEST);
    expect(res.json().error).toBe('invalid_request');
  });

  it('two Authorization headers → 400 invalid_request', async () => {
    const token = await mintAccessToken(keys, ALICE);
    const res = await get({ authorization: [`Bearer ${token}`, `Bearer ${token}`] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['www-authenticate']).toBe(INVALID_REQUEST);
  });
});

describe('invalid tokens → 401 invalid_token', () => {
  it('garbage and empty bearer tokens (42)', async () => {
    await expectRejected('not-a-jwt');
    await expectRejected('a.b.c');
    await expectRejected('aGVsbG8gd29ybGQ');
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer  two words']) {
      const res = await get({ authorization });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
    }
  });

  it('expired beyond the leeway (44)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(
      await mintAccessToken(keys, ALICE, { claims: { iat: now - 400, exp: now - 60 } }),
    );
  });

  it('nbf in the future (45)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await mintAccessToken(keys, ALICE, { claims: { nbf: now + 120 } }));
  });

  it('wrong iss (46), including a near miss', async () => {
    for (const iss of ['https://evil.example', `${ISSUER}/`, 'http://127.0.0.1:4000']) {
      await expectRejected(await mintAccessToken(keys, ALICE, { claims: { iss } }));
    }
  });

  it('wrong aud (47)', async () => {
    for (const aud of ['http://localhost:9999', CLIENT_ID, [CLIENT_ID], `${AUDIENCE}/`]) {
      await expectRejected(await mintAccessToken(keys, ALICE, { claims: { aud } }));
    }
  });

  it('typ JWT or missing instead of at+jwt (53)', async () => {
    await expectRejected(await mintAccessToken(keys, ALICE, { header: { typ: 'JWT' } }));
    await expectRejected(await mintAccessToken(keys, ALICE, { header: { typ: undefined } }));
  });

  it('an ID token presented as an access token (54)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ sub: ALICE, nonce: 'n-0S6', name: 'Alice' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.rsa.kid })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(keys.rsa.privateKey);
    await expectRejected(idToken);
  });

  it('alg none in any casing, signature stripped (48)', async () => {
    const valid = await mintAccessToken(keys, ALICE);
    const payload = valid.split('.')[1];
    for (const alg of ['none', 'None', 'NONE']) {
      await expectRejected(`${base64url({ alg, typ: 'at+jwt' })}.${payload}.`);
    }
  });

  it('HS256 signed with the public key as the secret (49)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: ALICE,
      client_id: CLIENT_ID,
      scope: 'contacts:read',
      jti: 'j1',
      iat: now,
      exp: now + 300,
    };
    const secrets = [
      new TextEncoder().encode(await exportSPKI(keys.rsa.publicKey)),
      new TextEncoder().encode(JSON.stringify(await exportJWK(keys.rsa.publicKey))),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys.rsa.kid })
        .sign(secret);
      await expectRejected(token);
    }
  });

  it('payload tampered, signature kept (50)', async () => {
    const [header, payload, signature] = (await mintAccessToken(keys, ALICE)).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    await expectRejected(`${header}.${base64url({ ...claims, sub: BOB })}.${signature}`);
  });

  it('signed by a key not in the JWKS, with an unknown or a borrowed kid (51)', async () => {
    await expectRejected(await mintAccessToken(keys, ALICE, { key: keys.rogue }));
    await expectRejected(
      await mintAccessToken(keys, ALICE, { key: { ...keys.rogue, kid: keys.rsa.kid } }),
    );
  });

  describe('attacker-supplied key locations (52)', () => {
    let server: Server;
    let hits = 0;
    let base = '';

    beforeAll(async () => {
      const rogueJwk = { ...(await exportJWK(keys.rogue.publicKey)), kid: keys.rogue.kid };
      server = createServer((_req, res) => {
        hits += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [rogueJwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('jku, x5u and an embedded jwk are ignored and never fetched', async () => {
      const jwk = await exportJWK(keys.rogue.publicKey);
      for (const header of [{ jku: `${base}/jwks.json` }, { x5u: `${base}/cert.pem` }, { jwk }]) {
        await expectRejected(await mintAccessToken(keys, ALICE, { key: keys.rogue, header }));
      }
      expect(hits).toBe(0);
    });
  });

  it('missing or empty RFC 9068 claims (57)', async () => {
    for (const claim of ['sub', 'client_id', 'jti', 'iat', 'exp', 'iss', 'aud']) {
      await expectRejected(await mintAccessToken(keys, ALICE, { omit: [claim] }));
    }
    for (const claim of ['sub', 'client_id', 'jti']) {
      await expectRejected(await mintAccessToken(keys, ALICE, { claims: { [claim]: '' } }));
    }
    await expectRejected(
      await mintAccessToken(keys, ALICE, { claims: { scope: ['contacts:read'] } }),
    );
  });

  it('a DPoP-bound token sent as Bearer (59)', async () => {
    await expectRejected(
      await mintAccessToken(keys, ALICE, { claims: { cnf: { jkt: 'thumbprint' } } }),
    );
  });
});

describe('scope', () => {
  it('without contacts:read → 403 insufficient_scope', async () => {
    for (const claims of [
      { scope: 'openid contacts:write' },
      { scope: 'contacts:readx' },
      { scope: undefined },
    ]) {
      const res = await get(bearer(await mintAccessToken(keys, ALICE, { claims })));
      expect(res.statusCode).toBe(403);
      expect(res.headers['www-authenticate']).toBe(INSUFFICIENT_SCOPE);
      expect(res.json()).toMatchObject({ status: 403, error: 'insufficient_scope' });
    }
  });
});

describe('when the keys cannot be loaded', () => {
  it('answers 503 without a challenge and logs one line without the token', async () => {
    const down = buildApp({
      store,
      verifier: createAccessTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        getKey: () => Promise.reject(new TypeError('fetch failed')),
      }),
      corsOrigins: [],
      logger: { error: (line) => logged.push(line) },
    });
    const token = await mintAccessToken(keys, ALICE);
    logged.length = 0;
    const res = await down.inject({ method: 'GET', url: '/contacts', headers: bearer(token) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers['retry-after']).toBe('5');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('GET /contacts');
    expect(logged.join('\n')).not.toContain(token.split('.')[1]);
    await down.close();
  });
});
