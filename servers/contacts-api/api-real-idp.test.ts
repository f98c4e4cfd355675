// End to end with the real test IdP (oidc-provider, in-process): its RFC 9068 access
// tokens, fetched through a real sign-in, are accepted; its entitlements hold at the API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers } from '../demo-data.ts';
import { freePort } from '../free-port.ts';
import { CLIENT_ID } from '../idp/configuration.ts';
import { type RunningIdp, startIdp } from '../idp/idp.ts';
import { CookieBrowser, signIn, tokenRequest } from '../idp/test-client.ts';
import { readLocalEnv } from '../local-env.ts';
import { seedDemoContacts } from './seed.ts';
import { type RunningApi, startContactsApi } from './server.ts';

const SPA = 'http://localhost:5173';
const RESOURCE = 'http://localhost:4001'; // readLocalEnv's apiUrl for API_PORT 4001
let dir: string;
let idp: RunningIdp;
let api: RunningApi;
let issuer: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'contacts-api-idp-'));
  const idpPort = await freePort();
  const env = readLocalEnv({
    IDP_PORT: String(idpPort),
    API_PORT: '4001', // only the resource identifier: the API itself listens on a free port
    DATA_DIR: dir,
  });
  issuer = env.idpIssuer;
  idp = await startIdp(env, { log: () => undefined });
  api = await startContactsApi({
    databaseFile: path.join(dir, 'contacts.sqlite'),
    trustedIssuers: [issuer],
    resource: RESOURCE,
    corsOrigins: [SPA],
    publicUrl: RESOURCE,
    port: 0,
    seed: async (store) => {
      await seedDemoContacts(store, issuer);
    },
  });
});
afterAll(async () => {
  await api?.close();
  await idp?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Signs a demo user in at the real IdP over HTTP (PKCE, consent) and redeems the code. */
async function tokensFor(username: string, scope: string) {
  const user = demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  const { callback, verifier } = await signIn(new CookieBrowser(), {
    issuer,
    spaOrigin: SPA,
    clientId: CLIENT_ID,
    username,
    password: user.password,
    scope,
  });
  const { body } = await tokenRequest(issuer, SPA, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: `${SPA}/callback`,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
  return body;
}

async function accessToken(username: string, scope: string): Promise<string> {
  const body = await tokensFor(username, scope);
  if (!body.access_token) throw new Error(`no access token: ${body.error}`);
  return body.access_token;
}

const call = (token: string, pathname: string, init: RequestInit = {}) =>
  fetch(`${api.url}${pathname}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });

describe('tokens from the real IdP', () => {
  it("alice's token reads her seeded contacts, searches them and writes", async () => {
    const token = await accessToken('alice', 'openid profile contacts:read contacts:write');
    const list = await call(token, '/contacts');
    expect(list.status).toBe(200);
    const page = (await list.json()) as { items: { name: string }[] };
    expect(page.items.map((c) => c.name)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Zoë Ødegård']);

    const search = (await (await call(token, '/contacts?q=zoe')).json()) as typeof page;
    expect(search.items.map((c) => c.name)).toEqual(['Zoë Ødegård']);

    const created = await call(token, '/contacts', {
      method: 'POST',
      headers: { 'idempotency-key': 'real-idp-1' },
      body: JSON.stringify({ name: 'Katherine Johnson' }),
    });
    expect(created.status).toBe(201);
  });

  it("bob's token never carries contacts:write, so the API refuses his writes", async () => {
    const token = await accessToken('bob', 'openid contacts:read contacts:write');
    expect((await call(token, '/contacts')).status).toBe(200);
    const write = await call(token, '/contacts', { method: 'POST', body: '{"name":"x"}' });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe(
      'Bearer realm="contacts", error="insufficient_scope", scope="contacts:write"',
    );
  });

  it('refuses the ID token of the same sign-in presented as an access token (54)', async () => {
    const body = await tokensFor(demoUsers[0]?.username ?? '', 'openid contacts:read');
    const answer = await call(body.id_token ?? '', '/contacts');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
