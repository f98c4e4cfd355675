// The issuer's discovery document and JWKS, served by a real local HTTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscoveredJwks } from './discover-jwks.ts';
import { createTestKeys, mintAccessToken, type TestKeys } from './test-tokens.ts';
import { createAccessTokenVerifier, KeysUnavailableError } from './verify-access-token.ts';

interface FakeIssuer {
  issuer: string;
  hits: string[];
  /** What discovery answers: 'ok', 'down' (503), or a different issuer name. */
  mode: 'ok' | 'down' | 'impostor';
  server: Server;
}

let keys: TestKeys;
const servers: Server[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function startIssuer(mode: FakeIssuer['mode']): Promise<FakeIssuer> {
  const state = { hits: [] as string[], mode } as FakeIssuer;
  state.server = createServer((req, res) => {
    state.hits.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration' && state.mode !== 'down') {
      const issuer = state.mode === 'impostor' ? 'https://evil.example' : state.issuer;
      res.end(JSON.stringify({ issuer, jwks_uri: `${state.issuer}/keys` }));
    } else if (req.url === '/keys') {
      res.end(JSON.stringify(keys.jwks));
    } else {
      res.statusCode = 503;
      res.end('{}');
    }
  });
  servers.push(state.server);
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.issuer = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

function verifierFor(issuer: string) {
  return createAccessTokenVerifier({
    issuers: [{ issuer, getKey: createDiscoveredJwks(issuer, { retryAfterMs: 0 }) }],
    audience: 'http://localhost:4001',
  });
}

const tokenFrom = (issuer: string) => mintAccessToken(keys, 'alice', { claims: { iss: issuer } });

describe('createDiscoveredJwks', () => {
  it('finds the keys through discovery, lazily, and fetches each document once', async () => {
    const idp = await startIssuer('ok');
    const verify = verifierFor(idp.issuer);
    expect(idp.hits).toEqual([]);
    await verify(await tokenFrom(idp.issuer));
    await verify(await tokenFrom(idp.issuer));
    expect(idp.hits).toEqual(['/.well-known/openid-configuration', '/keys']);
  });

  it('does not keep a failed discovery: an IdP that starts late is picked up', async () => {
    const idp = await startIssuer('down');
    const verify = verifierFor(idp.issuer);
    await expect(verify(await tokenFrom(idp.issuer))).rejects.toBeInstanceOf(KeysUnavailableError);
    idp.mode = 'ok';
    await expect(verify(await tokenFrom(idp.issuer))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('remembers a failure briefly, so a burst of requests costs one discovery fetch', async () => {
    const idp = await startIssuer('down');
    const getKey = createDiscoveredJwks(idp.issuer, { retryAfterMs: 60_000 });
    const verify = createAccessTokenVerifier({
      issuers: [{ issuer: idp.issuer, getKey }],
      audience: 'http://localhost:4001',
    });
    const token = await tokenFrom(idp.issuer);
    await Promise.allSettled([verify(token), verify(token)]);
    await verify(token).catch(() => undefined);
    expect(idp.hits).toEqual(['/.well-known/openid-configuration']);
  });

  it('refuses metadata that names another issuer', async () => {
    const idp = await startIssuer('impostor');
    const verify = verifierFor(idp.issuer);
    await expect(verify(await tokenFrom(idp.issuer))).rejects.toThrow(/names another issuer/);
    expect(idp.hits).not.toContain('/keys');
  });

  it('reports an unreachable issuer as unavailable keys, not a bad token', async () => {
    const verify = verifierFor('http://127.0.0.1:9');
    await expect(verify(await tokenFrom('http://127.0.0.1:9'))).rejects.toBeInstanceOf(
      KeysUnavailableError,
    );
  });
});
