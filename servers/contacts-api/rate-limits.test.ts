// Rate limits (issue 19): per user, per client address, and X-Forwarded-For believed only
// from a trusted proxy. Real tokens, the real app, in-process counters.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { RateLimitSettings } from './rate-limits.ts';
import { openSqliteStore } from './store/sqlite-database.ts';
import type { ContactStore } from './store/store.ts';
import { AUDIENCE, createTestKeys, ISSUER, mintAccessToken, type TestKeys } from './test-tokens.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const PROXY = '10.0.0.7';

describe('rate limits', () => {
  let keys: TestKeys;
  const stores: ContactStore[] = [];
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    keys = await createTestKeys();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
  });

  const start = async (
    rateLimits: RateLimitSettings,
    trustedProxies: string[] = [],
    corsOrigins: string[] = [],
  ) => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const verifier = createAccessTokenVerifier({
      issuers: [{ issuer: ISSUER, getKey: keys.getKey }],
      audience: AUDIENCE,
    });
    const app = await buildApp({
      store,
      verifier,
      publicUrl: AUDIENCE,
      corsOrigins,
      rateLimits,
      trustedProxies,
    });
    apps.push(app);
    return app;
  };

  it('answers 429 with Retry-After to one user over the limit while another is unaffected', async () => {
    const app = await start({ perUser: 3, perAddress: 0, windowSeconds: 60 });
    const [alice, bob] = await Promise.all([
      mintAccessToken(keys, 'alice'),
      mintAccessToken(keys, 'bob'),
    ]);
    const list = (token: string) =>
      app.inject({ url: '/contacts', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i += 1) expect((await list(alice)).statusCode).toBe(200);
    const limited = await list(alice);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(limited.json().detail).toContain('more than 3 in 60 s');
    // Same address, another user: still served.
    expect((await list(bob)).statusCode).toBe(200);
    // Probes are never counted.
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it("lets the SPA's origin read Retry-After (CORS), or the app could not wait the 429 out", async () => {
    const spa = 'https://contacts.example';
    const app = await start({ perUser: 1, perAddress: 0, windowSeconds: 60 }, [], [spa]);
    const token = await mintAccessToken(keys, 'carol');
    const list = () =>
      app.inject({ url: '/contacts', headers: { authorization: `Bearer ${token}`, origin: spa } });
    expect((await list()).statusCode).toBe(200);
    const limited = await list();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['access-control-allow-origin']).toBe(spa);
    expect(limited.headers['retry-after']).toBeDefined();
    const exposed = String(limited.headers['access-control-expose-headers']).toLowerCase();
    expect(exposed.split(/\s*,\s*/)).toContain('retry-after');
  });

  it('keys an untrusted peer by its own address, whatever X-Forwarded-For says', async () => {
    const app = await start({ perUser: 0, perAddress: 2, windowSeconds: 60 });
    const from = (remoteAddress: string, forwardedFor: string) =>
      app.inject({
        url: '/contacts',
        remoteAddress,
        headers: { 'x-forwarded-for': forwardedFor },
      });
    expect((await from('198.51.100.9', '192.0.2.1')).statusCode).toBe(401);
    expect((await from('198.51.100.9', '192.0.2.2')).statusCode).toBe(401);
    const spoofed = await from('198.51.100.9', '192.0.2.3');
    expect(spoofed.statusCode).toBe(429);
    expect(spoofed.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    expect((await from('198.51.100.10', '192.0.2.3')).statusCode).toBe(401);
  });

  it('keys by X-Forwarded-For when the peer is a trusted proxy', async () => {
    const app = await start({ perUser: 0, perAddress: 2, windowSeconds: 60 }, [PROXY]);
    const via = (client: string) =>
      app.inject({
        url: '/contacts',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 2; i += 1) expect((await via('192.0.2.1')).statusCode).toBe(401);
    expect((await via('192.0.2.1')).statusCode).toBe(429);
    // Another client behind the same proxy has a counter of its own.
    expect((await via('192.0.2.2')).statusCode).toBe(401);
    // A client prepending a made-up address is still keyed by the one the proxy saw.
    expect((await via('203.0.113.50, 192.0.2.1')).statusCode).toBe(429);
  });
});
