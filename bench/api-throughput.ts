// `npm run bench:api`: the contacts API under load with a real access token from the real
// IdP, against one user's 10,000 contacts. Prints requests/s, latency and CPU per request for
// a bare route (/health), the authenticated list (a page of 50) and authenticated search
// (rotating realistic prefixes), in the same run, so the ratio shows what verification and
// storage cost; the CPU counts every API process, and PostgreSQL's and Redis's own.
// BENCH_SETUPS (default `sqlite:1,postgres:1,postgres:2`: engine and API processes; several
// run behind a round-robin proxy), BENCH_DURATION (seconds, default 10) and
// BENCH_CONNECTIONS (default 200) override; each setup runs in a fresh stack.
import { cpus, loadavg } from 'node:os';
import autocannon, { type Request, type Result } from 'autocannon';
import { dropResponseBodies, SEARCHES } from './api-load.ts';
import {
  rateLimitSetting,
  readSetups,
  type Setup,
  type Stack,
  startStack,
} from './api-processes.ts';
import { accessToken, USER } from './api-token.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SETUPS = readSetups(process.env.BENCH_SETUPS);
// BENCH_API_WORKERS: node:cluster workers per API process (default 1).
const API_WORKERS = process.env.BENCH_API_WORKERS ?? '1';
// BENCH_LOAD_WORKERS: autocannon worker threads (default 0: in this process).
const LOAD_WORKERS = Number(process.env.BENCH_LOAD_WORKERS ?? 0) || undefined;
// BENCH_ROUTES: which of health, list, search to run (default all).
const ROUTES = new Set((process.env.BENCH_ROUTES ?? 'health,list,search').split(','));
const bodiesKept = LOAD_WORKERS !== undefined;
if (!bodiesKept) dropResponseBodies();

interface Measured {
  result: Result;
  /** CPU seconds (user + system) in the run: every API process, PostgreSQL's backends, Redis. */
  cpu: { api: number; database: number; redis: number; proxy: number; load: number };
}

const perRequest = (seconds: number, result: Result) =>
  (seconds / Math.max(1, result.requests.total)) * 1e6;
const total = ({ cpu }: Measured) => cpu.api + cpu.database + cpu.redis;

// Each connection cycles through `requests` in order, so the 12 searches rotate without a
// setupRequest function (which autocannon's worker threads could not take).
async function run(
  stack: Stack,
  requests: Request[],
  headers: Record<string, string> = {},
): Promise<Measured> {
  const options = {
    url: stack.apiUrl,
    connections: CONNECTIONS,
    headers,
    requests,
    workers: LOAD_WORKERS,
  };
  await autocannon({ ...options, duration: 2 }); // warm-up (fills the pools too)
  const service = await stack.serviceCpu();
  const before = {
    api: stack.apiCpuSeconds(),
    database: service.database(),
    redis: service.redis(),
    proxy: stack.proxyCpuSeconds(),
  };
  const loadBefore = process.cpuUsage();
  const result = await autocannon({ ...options, duration: DURATION });
  const { user, system } = process.cpuUsage(loadBefore);
  return {
    result,
    cpu: {
      api: stack.apiCpuSeconds() - before.api,
      database: service.database() - before.database,
      redis: service.redis() - before.redis,
      proxy: stack.proxyCpuSeconds() - before.proxy,
      load: (user + system) / 1e6,
    },
  };
}

const µs = (value: number) => `${value.toFixed(0)} µs`;

function row(name: string, measured: Measured, base?: Measured): string {
  const { result, cpu } = measured;
  const failures = result.errors + result.non2xx; // autocannon's errors include timeouts
  const ratio = base
    ? `${((result.requests.average / base.result.requests.average) * 100).toFixed(0)} %`
    : '100 %';
  return [
    name.padEnd(31),
    result.requests.average.toFixed(0).padStart(6),
    `${result.latency.p50} ms`.padStart(7),
    `${result.latency.p99} ms`.padStart(8),
    ratio.padStart(6),
    µs(perRequest(cpu.api, result)).padStart(8),
    µs(perRequest(cpu.database, result)).padStart(7),
    µs(perRequest(cpu.redis, result)).padStart(7),
    µs(perRequest(total(measured), result)).padStart(8),
    `${((cpu.load / DURATION) * 100).toFixed(0)} %`.padStart(7),
    String(failures).padStart(6),
  ].join(' ');
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

const name = ({ engine, replicas }: Setup) =>
  `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL + Redis'}, ${replicas} API process${replicas > 1 ? 'es behind the round-robin proxy' : ''}`;

console.log(
  `contacts API: ${CONNECTIONS} connections, ${DURATION} s per route, 10,000 contacts for ${USER}, ` +
    `bearer token; API_WORKERS=${API_WORKERS} per process; ` +
    // After the warm-up every list and search is a cache hit; 0 measures reading the rows.
    `page cache ${process.env.API_PAGE_CACHE_MB?.trim() || '32 (default)'} MB per API process; ` +
    rateLimitSetting(),
);
console.log(
  `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ` +
    `load generator: autocannon ${bodiesKept ? `in ${LOAD_WORKERS} worker threads` : 'in the benchmark process, response bodies not kept'}; ` +
    'CPU/req: user + system CPU of every API process, PostgreSQL backend of the run and the Redis server, per request',
);
const measured = new Map<string, Map<string, Measured>>();
let failed = 0;
for (const setup of SETUPS) {
  const stack = await startStack(USER, { API_WORKERS }, setup);
  try {
    const { env } = stack;
    const token = await accessToken(env.idpIssuer, env.spaOrigin);
    const auth = { authorization: `Bearer ${token}` };
    const first = await fetch(`${stack.apiUrl}/contacts?limit=1&q=a`, { headers: auth });
    if (!first.ok) throw new Error(`list answered ${first.status}`);

    const loadBefore = load();
    const results = new Map<string, Measured>();
    if (ROUTES.has('health')) {
      results.set('GET /health (no token)', await run(stack, [{ path: '/health' }]));
    }
    if (ROUTES.has('list')) {
      results.set(
        'GET /contacts?limit=50',
        await run(stack, [{ path: '/contacts?limit=50' }], auth),
      );
    }
    if (ROUTES.has('search')) {
      const searches = SEARCHES.map((q) => ({
        path: `/contacts?limit=50&q=${encodeURIComponent(q)}`,
      }));
      results.set(
        `GET /contacts?q=… (${SEARCHES.length} prefixes)`,
        await run(stack, searches, auth),
      );
    }
    measured.set(name(setup), results);
    const health = results.get('GET /health (no token)');
    console.log(
      `\n${name(setup)}; load average (1, 5, 15 min) before ${loadBefore}, after ${load()}`,
    );
    console.log(
      'route                            req/s     p50      p99 vs hlth  API/req  PG/req Redis/req all/req loadgen errors',
    );
    for (const [route, result] of results) console.log(row(route, result, health));
    for (const [route, { result, cpu }] of results) {
      if (cpu.proxy > 0)
        console.log(`  ${route}: proxy ${µs(perRequest(cpu.proxy, result))}/req (not counted)`);
      const { errors, timeouts, non2xx } = result;
      failed += errors + non2xx;
      if (errors + non2xx === 0) continue;
      console.log(`  ${route}: ${errors} errors (${timeouts} of them timeouts), ${non2xx} non-2xx`);
    }
  } finally {
    await stack.stop();
  }
}

// PostgreSQL's whole CPU per request (API + its backends + Redis) against SQLite's (the API alone).
const sqlite = [...measured].find(([setup]) => setup.startsWith('SQLite'))?.[1];
if (sqlite) {
  console.log('\nCPU per request against SQLite, 1 process (all/req ÷ all/req):');
  for (const [setup, results] of measured) {
    if (setup.startsWith('SQLite')) continue;
    const ratios = [...results]
      .filter(([route]) => !route.startsWith('GET /health'))
      .map(([route, m]) => {
        const base = sqlite.get(route);
        if (!base) return '';
        const ratio = perRequest(total(m), m.result) / perRequest(total(base), base.result);
        return `${route.split(' (')[0]} ${ratio.toFixed(2)}×`;
      });
    console.log(`  ${setup}: ${ratios.filter(Boolean).join(', ')}`);
  }
}
console.log(failed === 0 ? '\nno errors under load' : `\n${failed} failed requests under load`);
if (failed > 0) process.exitCode = 1;
