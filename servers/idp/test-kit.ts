// Helpers for the IdP's own unit tests: an IdP on a free port with its own data folder, and
// shortcuts to sign in over HTTP and call the test controls. Not used by the IdP itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoUsers } from '../demo-data.ts';
import { freePort } from '../free-port.ts';
import type { LocalEnv } from '../local-env.ts';
import { CLIENT_ID } from './configuration.ts';
import { type RunningIdp, startIdp } from './idp.ts';
import { type SignInOptions, signInForTokens, tokenRequest } from './test-client.ts';

export const SPA = 'http://localhost:5173';
export const API = 'http://localhost:4001';
export const SECRET = 'unit-test-secret-0123456789';

export { freePort };

export function testEnv(
  idpPort: number,
  dataDir: string,
  testMode = false,
  requireDpop = false,
): LocalEnv {
  return {
    production: false,
    idpPort,
    apiPort: 4001,
    spaPort: 5173,
    idpIssuer: `http://localhost:${idpPort}`,
    apiUrl: API,
    apiHost: 'localhost',
    spaOrigin: SPA,
    spaHost: 'localhost',
    dataDir,
    accessTokenTtl: 300,
    idTokenTtl: 3600,
    refreshTokenTtl: 3600,
    sessionTtl: 3600,
    requestLog: false,
    idpTestMode: testMode,
    idpRequireDpop: requireDpop,
    idpTestSecret: testMode ? SECRET : undefined,
    idpCookieSuffix: '',
    idpHost: 'localhost',
    idpNoRefreshClient: false,
    idpContactsScopes: { 'contacts:read': 'contacts:read', 'contacts:write': 'contacts:write' },
  };
}

export interface TestIdp {
  idp: RunningIdp;
  issuer: string;
  dataDir: string;
  logged: string[];
  stop(): Promise<void>;
}

export async function startTestIdp(testMode: boolean): Promise<TestIdp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'idp-test-'));
  const env = testEnv(await freePort(), dataDir, testMode);
  const logged: string[] = [];
  const idp = await startIdp(env, { log: (line) => logged.push(line) });
  return {
    idp,
    issuer: env.idpIssuer,
    dataDir,
    logged,
    async stop() {
      await idp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function credentials(username: string) {
  const user = demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no seeded user ${username}`);
  return { username, password: user.password };
}

export function signInAs(issuer: string, username: string, options: Partial<SignInOptions> = {}) {
  return signInForTokens({
    issuer,
    spaOrigin: SPA,
    clientId: CLIENT_ID,
    scope: 'openid profile email contacts:read',
    ...credentials(username),
    ...options,
  });
}

export function refresh(issuer: string, refreshToken: string | undefined, clientId = CLIENT_ID) {
  return tokenRequest(issuer, SPA, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken ?? '',
    client_id: clientId,
  });
}

/** Calls a test control the way the Playwright client does. */
export async function control(
  issuer: string,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${SECRET}` },
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  body ??= method === 'POST' ? {} : undefined;
  const response = await fetch(new URL(`/test-controls${route}`, issuer), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json');
  return {
    status: response.status,
    body: json ? (JSON.parse(text) as Record<string, unknown>) : { text },
    headers: response.headers,
  };
}
