// Routes, headers and CORS of the app; token handling is covered in authorize.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { type ContactStore, openContactStore } from './store.ts';
import { AUDIENCE, createTestKeys, ISSUER, mintAccessToken, type TestKeys } from './test-tokens.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const SPA = 'http://localhost:5173';
let keys: TestKeys;
let store: ContactStore;
let app: ReturnType<typeof buildApp>;
const logged: string[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
  store = openContactStore(':memory:');
  const owner = { iss: ISSUER, sub: 'alice' };
  store.createContact(owner, { name: 'zed', email: null, phone: '+1', company: null });
  store.createContact(owner, {
    name: 'Ada',
    email: 'ada@example.test',
    phone: null,
    company: 'AE',
  });
  app = buildApp({
    store,
    verifier: createAccessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: keys.getKey,
    }),
    corsOrigins: [SPA],
    logger: { error: (line) => logged.push(line) },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  store.close();
});

function expectApiHeaders(headers: Record<string, unknown>) {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

describe('routes', () => {
  it('GET /health needs no token', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expectApiHeaders(res.headers);
  });

  it('GET /contacts returns the owner items sorted by name', async () => {
    const token = await mintAccessToken(keys, 'alice');
    const res = await app.inject({
      method: 'GET',
      url: '/contacts',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectApiHeaders(res.headers);
    expect(res.json()).toEqual({
      items: [
        {
          id: expect.any(String),
          name: 'Ada',
          email: 'ada@example.test',
          phone: null,
          company: 'AE',
        },
        { id: expect.any(String), name: 'zed', email: null, phone: '+1', company: null },
      ],
    });
  });

  it('an unknown route is a 404 problem that does not echo the URL', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?access_token=secret-value' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectApiHeaders(res.headers);
    expect(res.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(res.body).not.toContain('secret-value');
  });

  it('a client error is a problem that does not quote the request', async () => {
    // No route takes a body yet; the OPTIONS route that @fastify/cors adds does.
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/contacts',
      headers: { 'content-type': 'application/json' },
      payload: '{"secret-value',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(res.body).not.toContain('secret-value');
  });

  it('a failure logs one line naming the route, and answers a generic 500', async () => {
    const broken = buildApp({
      store: {
        ...store,
        listContacts: () => {
          throw new Error('disk on fire');
        },
      },
      verifier: createAccessTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        getKey: keys.getKey,
      }),
      corsOrigins: [SPA],
      logger: { error: (line) => logged.push(line) },
    });
    const token = await mintAccessToken(keys, 'alice');
    logged.length = 0;
    const res = await broken.inject({
      method: 'GET',
      url: '/contacts?x=1',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(res.body).not.toContain('disk on fire');
    expect(logged).toEqual(['contacts API: GET /contacts failed: disk on fire']);
    await broken.close();
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: '/contacts',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

  it('approves a preflight from the SPA origin, allowing Authorization', async () => {
    const res = await preflight(SPA);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(SPA);
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toContain('Origin');
  });

  it('gives a foreign origin nothing: no ACAO, no approved headers (58)', async () => {
    for (const origin of [
      'https://evil.example',
      'http://localhost:5174',
      'null',
      `${SPA}.evil.example`,
    ]) {
      const res = await preflight(origin);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
    }
  });

  it('exposes WWW-Authenticate to the SPA on a real request, and only to it', async () => {
    const fromSpa = await app.inject({ method: 'GET', url: '/contacts', headers: { origin: SPA } });
    expect(fromSpa.statusCode).toBe(401);
    expect(fromSpa.headers['access-control-allow-origin']).toBe(SPA);
    expect(fromSpa.headers['access-control-expose-headers']).toBe('WWW-Authenticate');

    const fromEvil = await app.inject({
      method: 'GET',
      url: '/contacts',
      headers: { origin: 'https://evil.example' },
    });
    expect(fromEvil.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromEvil.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('refuses a wildcard in the configuration', () => {
    expect(() =>
      buildApp({
        store,
        verifier: async () => {
          throw new Error();
        },
        corsOrigins: ['*'],
      }),
    ).toThrow();
  });
});
