// Test-only: the real API on a free port with a real SQLite file, and a real issuer (HTTP
// discovery + JWKS) whose requests are counted, so tests speak HTTP with fetch exactly as
// the SPA does, with tokens minted by jose.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProblemBody } from './problem.ts';
import type { Contact, ContactPage } from './schemas.ts';
import { type ApiSettings, type RunningApi, startContactsApi } from './server.ts';
import {
  AUDIENCE,
  createTestKeys,
  type MintOptions,
  mintAccessToken,
  type TestKeys,
} from './test-tokens.ts';

export const SPA = 'http://localhost:5173';

export interface TestIssuer {
  issuer: string;
  keys: TestKeys;
  /** Served at /jwks; tests may add or remove keys. */
  jwks: { keys: Record<string, unknown>[] };
  hits: string[];
  server: Server;
}

/** Any HTTP server, counting what it is asked (also the "attacker" behind jku/x5u). */
export async function listen(
  handler: (path: string) => { status: number; body: unknown },
): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(pathname);
    const { status, body } = handler(pathname);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

export async function startIssuer(): Promise<TestIssuer> {
  const keys = await createTestKeys();
  const jwks = { keys: [...keys.jwks.keys] };
  let issuer = '';
  const { url, hits, server } = await listen((pathname) => {
    if (pathname === '/.well-known/openid-configuration') {
      return { status: 200, body: { issuer, jwks_uri: `${issuer}/jwks` } };
    }
    if (pathname === '/jwks') return { status: 200, body: jwks };
    return { status: 404, body: {} };
  });
  issuer = url;
  return { issuer, keys, jwks, hits, server };
}

export interface Harness {
  api: RunningApi;
  /** Another API process's view: its own connection to the same file, its own caches. */
  startWorker(overrides?: Partial<ApiSettings>): Promise<RunningApi>;
  url: string;
  issuer: TestIssuer;
  other: TestIssuer;
  logged: string[];
  /** A valid access token from the main issuer, unless options say otherwise. */
  mint(sub: string, options?: MintOptions, from?: TestIssuer): Promise<string>;
  /** fetch against the API with a bearer token (when given) and JSON body. */
  call(path: string, init?: CallInit): Promise<Answer>;
  close(): Promise<void>;
}

export interface CallInit {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Another running API (startWorker) to ask instead of the first one. */
  via?: RunningApi;
}

export interface Answer {
  status: number;
  headers: Headers;
  challenge: string | null;
  /** Parsed JSON: a contact, a page, a problem, or undefined for an empty body. */
  body: Partial<Contact & ContactPage & ProblemBody> & Record<string, unknown>;
}

/** Two trusted issuers, the API on a free port, and a temp folder removed on close. */
export async function startHarness(overrides: Partial<ApiSettings> = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'contacts-api-it-'));
  const [issuer, other] = await Promise.all([startIssuer(), startIssuer()]);
  const logged: string[] = [];
  const settings: ApiSettings = {
    databaseFile: path.join(dir, 'contacts.sqlite'),
    trustedIssuers: [issuer.issuer, other.issuer],
    resource: AUDIENCE,
    corsOrigins: [SPA],
    publicUrl: AUDIENCE,
    port: 0,
    host: '127.0.0.1',
    discovery: { retryAfterMs: 0 },
    logger: { error: (line) => logged.push(line) },
    ...overrides,
  };
  const api = await startContactsApi(settings);
  const workers: RunningApi[] = [];
  const startWorker: Harness['startWorker'] = async (more = {}) => {
    const worker = await startContactsApi({ ...settings, ...more });
    workers.push(worker);
    return worker;
  };
  const mint: Harness['mint'] = (sub, options = {}, from = issuer) =>
    mintAccessToken(from.keys, sub, {
      ...options,
      claims: { iss: from.issuer, ...options.claims },
    });
  const call: Harness['call'] = async (pathname, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${(init.via ?? api).url}${pathname}`, {
      method: init.method ?? 'GET',
      headers,
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      challenge: response.headers.get('www-authenticate'),
      body: text ? JSON.parse(text) : {},
    };
  };
  return {
    api,
    startWorker,
    url: api.url,
    issuer,
    other,
    logged,
    mint,
    call,
    async close() {
      for (const worker of workers) await worker.close();
      await api.close();
      for (const s of [issuer.server, other.server]) s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const REALM_ONLY = 'Bearer realm="contacts"';
export const INVALID_TOKEN =
  'Bearer realm="contacts", error="invalid_token", error_description="The access token is invalid or expired"';
export const INVALID_REQUEST = 'Bearer realm="contacts", error="invalid_request"';
export const insufficientScope = (scope: string) =>
  `Bearer realm="contacts", error="insufficient_scope", scope="${scope}"`;

/** The problem+json body of an invalid_token answer. */
export const invalidTokenBody = {
  type: 'about:blank',
  title: 'Unauthorized',
  status: 401,
  detail: 'The access token is invalid or expired.',
  error: 'invalid_token',
};
