// `npm run bench:api`: the contacts API under load with a real access token from the real
// IdP, against one user's 10,000 contacts. Prints requests/s and latency for a bare route
// (/health), the authenticated list (a page of 50) and authenticated search (rotating
// realistic prefixes), so the ratio shows what verification and storage cost.
// BENCH_DURATION (seconds, default 10) and BENCH_CONNECTIONS (default 200) override; the
// API runs with API_WORKERS=1, then 2 (node:cluster), each in a fresh stack.
import { cpus, loadavg } from 'node:os';
import autocannon, { type Request, type Result } from 'autocannon';
import { dropResponseBodies, SEARCHES } from './api-load.ts';
import { rateLimitSetting, type Stack, startStack } from './api-processes.ts';
import { accessToken, USER } from './api-token.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
// BENCH_API_WORKERS: the API_WORKERS values to run, in turn (default 1 then 2).
const API_WORKERS = (process.env.BENCH_API_WORKERS ?? '1,2').split(',').map(Number);
// BENCH_LOAD_WORKERS: autocannon worker threads (default 0: in this process).
const LOAD_WORKERS = Number(process.env.BENCH_LOAD_WORKERS ?? 0) || undefined;
// BENCH_ROUTES: which of health, list, search to run (default all).
const ROUTES = new Set((process.env.BENCH_ROUTES ?? 'health,list,search').split(','));
const bodiesKept = LOAD_WORKERS !== undefined;
if (!bodiesKept) dropResponseBodies();

interface Measured {
  result: Result;
  /** CPU seconds (user + system) the API's processes and this process used in the run. */
  apiCpu: number;
  loadCpu: number;
}

// Each connection cycles through `requests` in order, so the 12 searches rotate without a
// setupRequest function (which autocannon's worker threads could not take).
async function run(
  stack: Stack,
  url: string,
  requests: Request[],
  headers: Record<string, string> = {},
): Promise<Measured> {
  const options = { url, connections: CONNECTIONS, headers, requests, workers: LOAD_WORKERS };
  await autocannon({ ...options, duration: 2 }); // warm-up
  const apiBefore = stack.apiCpuSeconds();
  const loadBefore = process.cpuUsage();
  const result = await autocannon({ ...options, duration: DURATION });
  const { user, system } = process.cpuUsage(loadBefore);
  return { result, apiCpu: stack.apiCpuSeconds() - apiBefore, loadCpu: (user + system) / 1e6 };
}

function row(name: string, { result, apiCpu, loadCpu }: Measured, base?: Measured): string {
  const failures = result.errors + result.non2xx; // autocannon's errors include timeouts
  const ratio = base
    ? `${((result.requests.average / base.result.requests.average) * 100).toFixed(0)} %`
    : '100 %';
  const perRequest = (apiCpu / Math.max(1, result.requests.total)) * 1e6;
  return [
    name.padEnd(31),
    result.requests.average.toFixed(0).padStart(6),
    `${result.latency.p50} ms`.padStart(8),
    `${result.latency.p99} ms`.padStart(9),
    ratio.padStart(9),
    `${perRequest.toFixed(0)} µs`.padStart(10),
    `${((apiCpu / DURATION) * 100).toFixed(0)} %`.padStart(7),
    `${((loadCpu / DURATION) * 100).toFixed(0)} %`.padStart(7),
    String(failures).padStart(7),
  ].join(' ');
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

console.log(
  `contacts API: ${CONNECTIONS} connections, ${DURATION} s per route, 10,000 contacts for ${USER}; ` +
    // After the warm-up every list and search is a cache hit; 0 measures reading the rows.
    `page cache ${process.env.API_PAGE_CACHE_MB?.trim() || '32 (default)'} MB per API process; ` +
    rateLimitSetting(),
);
console.log(
  `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ` +
    `load generator: autocannon ${bodiesKept ? `in ${LOAD_WORKERS} worker threads` : 'in the benchmark process, response bodies not kept'}`,
);
for (const workers of API_WORKERS) {
  const stack = await startStack(USER, { API_WORKERS: String(workers) });
  try {
    const { env } = stack;
    const token = await accessToken(env.idpIssuer, env.spaOrigin);
    const auth = { authorization: `Bearer ${token}` };
    const first = await fetch(`${env.apiUrl}/contacts?limit=1&q=a`, { headers: auth });
    if (!first.ok) throw new Error(`list answered ${first.status}`);

    const loadBefore = load();
    const results: [string, Measured][] = [];
    if (ROUTES.has('health')) {
      results.push([
        'GET /health (no token)',
        await run(stack, `${env.apiUrl}/health`, [{ path: '/health' }]),
      ]);
    }
    if (ROUTES.has('list')) {
      results.push([
        'GET /contacts?limit=50',
        await run(stack, env.apiUrl, [{ path: '/contacts?limit=50' }], auth),
      ]);
    }
    if (ROUTES.has('search')) {
      const searches = SEARCHES.map((q) => ({
        path: `/contacts?limit=50&q=${encodeURIComponent(q)}`,
      }));
      results.push([
        `GET /contacts?q=… (${SEARCHES.length} prefixes)`,
        await run(stack, env.apiUrl, searches, auth),
      ]);
    }
    const health = results.find(([name]) => name.startsWith('GET /health'))?.[1];
    console.log(
      `\nAPI_WORKERS=${workers}; load average (1, 5, 15 min) before ${loadBefore}, after ${load()}`,
    );
    console.log(
      'route                            req/s      p50       p99  vs health  API CPU/req  API CPU  loadgen  errors',
    );
    for (const [name, result] of results) console.log(row(name, result, health));
    for (const [name, { result }] of results) {
      const { errors, timeouts, non2xx } = result;
      if (errors + non2xx === 0) continue;
      console.log(`  ${name}: ${errors} errors (${timeouts} of them timeouts), ${non2xx} non-2xx`);
    }
  } finally {
    await stack.stop();
  }
}
