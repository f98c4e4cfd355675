// `npm run bench:api:compare -- <git revision>`: the contacts API of that revision against
// this working tree's, on a machine shared with other work. Both stacks run at once (idle
// while the other is measured) and short runs alternate between them, round after round, so
// both see the same background load; the figure to compare is the API CPU per request
// (minimum and median over the rounds), which swings far less with load than req/s do.
// BENCH_ROUNDS (default 6), BENCH_DURATION (s per run, default 3), BENCH_CONNECTIONS (200),
// BENCH_API_WORKERS (one value, default 2) and BENCH_ROUTES (default list,search) override.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon, { type Request } from 'autocannon';
import { dropResponseBodies, SEARCHES } from './api-load.ts';
import { type Stack, startStack } from './api-processes.ts';
import { accessToken, USER } from './api-token.ts';

const revision = process.argv[2];
if (!revision) {
  console.error('usage: npm run bench:api:compare -- <git revision to compare with>');
  process.exit(2);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const WORKERS = process.env.BENCH_API_WORKERS ?? '2';
const ROUTES = (process.env.BENCH_ROUTES ?? 'list,search').split(',');
dropResponseBodies();

const requestsOf: Record<string, Request[]> = {
  health: [{ path: '/health' }],
  list: [{ path: '/contacts?limit=50' }],
  search: SEARCHES.map((q) => ({ path: `/contacts?limit=50&q=${encodeURIComponent(q)}` })),
};

// The other revision's files, with this tree's node_modules (same dependencies assumed).
const here = process.cwd();
const baseDir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
execFileSync('sh', ['-c', `git archive ${JSON.stringify(revision)} | tar -x -C "${baseDir}"`]);
symlinkSync(path.join(here, 'node_modules'), path.join(baseDir, 'node_modules'));

interface Side {
  name: string;
  stack: Stack;
  headers: Record<string, string>;
  runs: Record<string, { cpuPerRequest: number; rps: number; p99: number }[]>;
}

async function startSide(name: string, dir: string): Promise<Side> {
  process.chdir(dir); // the stack's scripts are started from the current directory
  const stack = await startStack(USER, { API_WORKERS: WORKERS });
  process.chdir(here);
  const token = await accessToken(stack.env.idpIssuer, stack.env.spaOrigin);
  return { name, stack, headers: { authorization: `Bearer ${token}` }, runs: {} };
}

const sides: Side[] = [];
try {
  sides.push(await startSide(revision, baseDir));
  sides.push(await startSide('this tree', here));
  const loadBefore = loadavg()[0]?.toFixed(1);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const route of ROUTES) {
      // Alternate which side goes first, so neither always follows the other's run.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const options = {
          url: side.stack.env.apiUrl,
          connections: CONNECTIONS,
          headers: side.headers,
          requests: requestsOf[route] ?? [],
        };
        await autocannon({ ...options, duration: 1 }); // warm-up
        const cpuBefore = side.stack.apiCpuSeconds();
        const result = await autocannon({ ...options, duration: DURATION });
        if (result.non2xx > 0) throw new Error(`${side.name} ${route}: non-2xx answers`);
        const cpu = side.stack.apiCpuSeconds() - cpuBefore;
        side.runs[route] ??= [];
        side.runs[route].push({
          cpuPerRequest: (cpu / Math.max(1, result.requests.total)) * 1e6,
          rps: result.requests.average,
          p99: result.latency.p99,
        });
      }
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] ?? NaN;
  console.log(
    `contacts API, ${revision} vs this tree: ${CONNECTIONS} connections, API_WORKERS=${WORKERS}, ` +
      `${ROUNDS} rounds of ${DURATION} s per route and side; ${cpus().length} cores, ` +
      `Node ${process.version}; load average ${loadBefore} before, ${loadavg()[0]?.toFixed(1)} after`,
  );
  console.log('route   side                  API CPU/req min  median   req/s median  p99 median');
  for (const route of ROUTES) {
    for (const side of sides) {
      const runs = side.runs[route] ?? [];
      const cpu = runs.map((r) => r.cpuPerRequest);
      console.log(
        [
          route.padEnd(7),
          side.name.slice(0, 20).padEnd(20),
          `${Math.min(...cpu).toFixed(0)} µs`.padStart(17),
          `${median(cpu).toFixed(0)} µs`.padStart(8),
          median(runs.map((r) => r.rps))
            .toFixed(0)
            .padStart(14),
          `${median(runs.map((r) => r.p99))} ms`.padStart(11),
        ].join(' '),
      );
    }
  }
} finally {
  process.chdir(here);
  for (const side of sides) await side.stack.stop();
  rmSync(baseDir, { recursive: true, force: true });
}
