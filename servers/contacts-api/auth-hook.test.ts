// Protection is the default (issue 19, security review): every route Fastify knows, read
// from its own route table, answers 401 without a token unless it is one of the three
// public ones; a route registered before the hook, or with no marker, is denied too.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { registerAuthHook } from './auth-hook.ts';
import { createAuthorizer, createDpopCheck } from './authorize.ts';
import { openSqliteStore } from './store/sqlite-database.ts';
import type { ContactStore } from './store/store.ts';
import { AUDIENCE, createTestKeys, ISSUER, mintAccessToken, type TestKeys } from './test-tokens.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const PUBLIC = new Set(['/health', '/ready', '/openapi.json']);

/**
 * Every (method, path) in Fastify's own route table (`printRoutes`, a tree whose children
 * hold the rest of their parent's path), so a route nobody thought of is tested too.
 */
function registeredRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    parents.length = depth;
    const path = parents.join('') + match[2];
    parents.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method) routes.push({ method, path });
    }
  }
  return routes;
}

/** A concrete URL for a route pattern: parameters and wildcards filled in. */
function urlOf(pattern: string): string {
  return pattern.replace(/:[A-Za-z]+/g, '3f2504e0-4f89-41d3-9a0c-0305e82c3301').replace('*', 'x');
}

describe('the auth hook', () => {
  let keys: TestKeys;
  let store: ContactStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    keys = await createTestKeys();
    store = openSqliteStore(':memory:');
    const verifier = createAccessTokenVerifier({
      issuers: [{ issuer: ISSUER, getKey: keys.getKey }],
      audience: AUDIENCE,
    });
    app = await buildApp({ store, verifier, publicUrl: AUDIENCE, corsOrigins: [] });
    // Added after the app is built and with no marker at all: protected all the same.
    app.get('/added-later', async () => ({ leaked: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('finds the routes it expects in the route table (the parser works)', () => {
    const routes = registeredRoutes(app).map(({ method, path }) => `${method} ${path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /contacts',
        'POST /contacts',
        'PUT /contacts/:id',
        'DELETE /contacts/:id',
        'HEAD /contacts/:id',
        'OPTIONS *',
        'GET /added-later',
        'GET /health',
      ]),
    );
  });

  it('answers 401 without a token on every route but /health, /ready and /openapi.json', async () => {
    const answers: string[] = [];
    for (const { method, path } of registeredRoutes(app)) {
      const response = await app.inject({ method: method as 'GET', url: urlOf(path) });
      answers.push(`${method} ${path} ${response.statusCode}`);
    }
    const expected = registeredRoutes(app).map(
      ({ method, path }) => `${method} ${path} ${PUBLIC.has(path) ? 200 : 401}`,
    );
    expect(answers).toEqual(expected);
    expect(answers.filter((answer) => answer.endsWith(' 401')).length).toBeGreaterThanOrEqual(9);
  });

  it('denies a valid token on a route that names no scope', async () => {
    const token = await mintAccessToken(keys, 'alice', {
      claims: { scope: 'contacts:read contacts:write' },
    });
    const response = await app.inject({
      url: '/added-later',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('leaked');
  });

  it('protects a route registered before the hook itself', async () => {
    const early = Fastify();
    early.get('/early', async () => ({ leaked: true }));
    const verifier = createAccessTokenVerifier({
      issuers: [{ issuer: ISSUER, getKey: keys.getKey }],
      audience: AUDIENCE,
    });
    registerAuthHook(early, createAuthorizer(verifier, createDpopCheck(AUDIENCE)));
    const response = await early.inject({ url: '/early' });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('leaked');
    await early.close();
  });
});
