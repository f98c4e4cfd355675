// `npm run bench:api`: the contacts API under load with a real access token from the real
// IdP, against one user's 10,000 contacts. Prints requests/s and latency for a bare route
// (/health), the authenticated list (a page of 50) and authenticated search (rotating
// realistic prefixes), so the ratio shows what verification and storage cost.
// BENCH_DURATION (seconds, default 10) and BENCH_CONNECTIONS (default 200) override.
import { cpus } from 'node:os';
import autocannon, { type Request, type Result } from 'autocannon';
import { findDemoUser } from '../servers/demo-data.ts';
import { CookieBrowser, signIn, tokenRequest } from '../servers/idp/test-client.ts';
import { startStack } from './api-processes.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const USER = 'alice';
const SEARCHES = [
  'zoe',
  'mul',
  'emile',
  'gar',
  'acme',
  'sm',
  'oder',
  'fj',
  'luc',
  'nov',
  'ch',
  '+44',
];

async function accessToken(issuer: string, spaOrigin: string): Promise<string> {
  const user = findDemoUser(USER);
  if (!user) throw new Error(`no demo user ${USER}`);
  const { callback, verifier } = await signIn(new CookieBrowser(), {
    issuer,
    spaOrigin,
    clientId: 'contacts-spa',
    username: user.username,
    password: user.password,
    scope: 'openid contacts:read',
  });
  const { body } = await tokenRequest(issuer, spaOrigin, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: `${spaOrigin}/callback`,
    client_id: 'contacts-spa',
    code_verifier: verifier,
  });
  if (!body.access_token) throw new Error(`no access token: ${body.error ?? 'unknown'}`);
  return body.access_token;
}

async function run(url: string, requests: Request[], headers: Record<string, string> = {}) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers, requests }); // warm-up
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers, requests });
}

function row(name: string, result: Result, base?: Result): string {
  const failures = result.errors + result.timeouts + result.non2xx;
  const ratio = base
    ? `${((result.requests.average / base.requests.average) * 100).toFixed(0)} %`
    : '100 %';
  return [
    name.padEnd(28),
    result.requests.average.toFixed(0).padStart(8),
    `${result.latency.p50} ms`.padStart(8),
    `${result.latency.p99} ms`.padStart(8),
    ratio.padStart(9),
    String(failures).padStart(7),
  ].join(' ');
}

const stack = await startStack(USER);
try {
  const { env } = stack;
  const token = await accessToken(env.idpIssuer, env.spaOrigin);
  const auth = { authorization: `Bearer ${token}` };
  const first = await fetch(`${env.apiUrl}/contacts?limit=1&q=a`, { headers: auth });
  if (!first.ok) throw new Error(`list answered ${first.status}`);

  const health = await run(`${env.apiUrl}/health`, [{ path: '/health' }]);
  const list = await run(env.apiUrl, [{ path: '/contacts?limit=50' }], auth);
  let turn = 0;
  const search = await run(
    env.apiUrl,
    [
      {
        setupRequest: (request) => {
          const q = SEARCHES[turn++ % SEARCHES.length] ?? 'a';
          return { ...request, path: `/contacts?limit=50&q=${encodeURIComponent(q)}` };
        },
      },
    ],
    auth,
  );

  console.log(
    `\ncontacts API: ${CONNECTIONS} connections, ${DURATION} s per route, 10,000 contacts for ${USER}`,
  );
  console.log(
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}\n`,
  );
  console.log('route                           req/s      p50      p99  vs health  errors');
  console.log(row('GET /health (no token)', health));
  console.log(row('GET /contacts?limit=50', list, health));
  console.log(row(`GET /contacts?q=… (${SEARCHES.length} prefixes)`, search, health));
} finally {
  stack.stop();
}
