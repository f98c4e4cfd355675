// Starts the real test IdP and contacts API as child processes (as `npm start` does), on
// free ports with a temp data folder, so the benchmark's load generator has a core of its
// own instead of competing with the server inside one event loop. The API runs on SQLite
// (one process, or node:cluster workers) or on PostgreSQL with Redis, as one replica or
// several behind a round-robin proxy (a process of its own), on the machine's PostgreSQL and
// Redis with a database and key prefix of the run's own, dropped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteKeysWithPrefix } from '../servers/contacts-api/private-redis.ts';
import { freePort } from '../servers/free-port.ts';
import { type LocalEnv, readLocalEnv } from '../servers/local-env.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Setup {
  engine: Engine;
  /** API processes; more than one run behind a round-robin proxy. */
  replicas: number;
}

/** BENCH_SETUPS: `engine:replicas` entries, comma-separated. */
export function readSetups(raw = 'sqlite:1,postgres:1,postgres:2'): Setup[] {
  return raw.split(',').map((entry) => {
    const match = /^(sqlite|postgres):([1-9])$/.exec(entry.trim());
    if (!match) throw new Error(`BENCH_SETUPS entries are sqlite:N or postgres:N, got "${entry}"`);
    const setup = { engine: match[1] as Engine, replicas: Number(match[2]) };
    if (setup.engine === 'sqlite' && setup.replicas > 1) {
      throw new Error('sqlite runs one process (several replicas need PostgreSQL): sqlite:1');
    }
    return setup;
  });
}

/** The machine's (and CI's) PostgreSQL and Redis, as the tests use them. */
const POSTGRES_SERVER =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_SERVER = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200)); // polling a starting process
  }
  throw new Error(`${name} did not answer at ${url}`);
}

// Linux /proc: utime + stime of a process and, recursively, its live children (cluster
// workers are children of the API's primary), in clock ticks (USER_HZ, 100 on Linux).
function cpuSeconds(pid: number): number {
  let ticks = 0;
  const visit = (id: number) => {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
      const children = readFileSync(`/proc/${id}/task/${id}/children`, 'utf8');
      for (const child of children.split(' ').filter(Boolean)) visit(Number(child));
    } catch {
      // exited meanwhile
    }
  };
  visit(pid);
  return ticks / 100;
}

const sum = (pids: readonly number[]) => pids.reduce((total, pid) => total + cpuSeconds(pid), 0);

/** Stops the stack's processes, waits until each has exited, then removes its data. */
export async function stopChildren(children: ChildProcess[], dataDir: string): Promise<void> {
  const exited = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(exited);
  rmSync(dataDir, { recursive: true, force: true });
}

export interface Stack {
  env: LocalEnv;
  /** Where the load goes: the only replica, or the proxy in front of several. */
  apiUrl: string;
  setup: Setup;
  /** CPU seconds (user + system) used so far by every API process (replicas and workers). */
  apiCpuSeconds(): number;
  /**
   * CPU seconds of the PostgreSQL backends serving this run's database (call after a warm-up,
   * once the pools are full) and of the Redis server; 0 where the setup has none.
   */
  serviceCpu(): Promise<{ database: () => number; redis: () => number }>;
  /** CPU seconds of the round-robin proxy (several replicas only), not counted as the API's. */
  proxyCpuSeconds(): number;
  /** SIGTERM to every process, resolved once they have exited; drops the run's database. */
  stop(): Promise<void>;
}

/** Requests per window per user and per address when the environment names none. */
export const BENCH_RATE_LIMIT = '100000000'; // 10^8: API_RATE_LIMIT_* take at most 9 digits

/** The rate-limit setting a benchmark runs with, for its header line. */
export function rateLimitSetting(): string {
  const perUser = process.env.API_RATE_LIMIT_PER_USER?.trim() || BENCH_RATE_LIMIT;
  const perAddress = process.env.API_RATE_LIMIT_PER_ADDRESS?.trim() || BENCH_RATE_LIMIT;
  const window = process.env.API_RATE_LIMIT_WINDOW_SECONDS?.trim() || '60';
  return `rate limits ${perUser} per user, ${perAddress} per address, per ${window} s (0 = off)`;
}

export async function startStack(
  scaleUser: string,
  apiEnv: Record<string, string> = {},
  setup: Setup = { engine: 'sqlite', replicas: 1 },
): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const run = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const apiPorts = await Promise.all(Array.from({ length: setup.replicas }, () => freePort()));
  const proxyPort = setup.replicas > 1 ? await freePort() : undefined;
  const vars: Record<string, string> = {
    IDP_PORT: String(await freePort()),
    API_PORT: String(apiPorts[0]),
    SPA_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: '3600', // one token for the whole run
    // One token and one address make every request: limits on (their cost is measured) but
    // out of reach, unless the caller's environment sets them (bench/api-throughput.ts prints them).
    API_RATE_LIMIT_PER_USER: process.env.API_RATE_LIMIT_PER_USER?.trim() || BENCH_RATE_LIMIT,
    API_RATE_LIMIT_PER_ADDRESS: process.env.API_RATE_LIMIT_PER_ADDRESS?.trim() || BENCH_RATE_LIMIT,
  };
  if (proxyPort !== undefined) vars.API_PUBLIC_URL = `http://localhost:${proxyPort}`;
  const env = readLocalEnv(vars);

  const database = setup.engine === 'postgres' ? `bench_api_${run}` : undefined;
  const onServer = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const redisPrefix = `contacts-api-bench:${run}:`;
  const workers = Number(apiEnv.API_WORKERS ?? 1);
  // Several processes share the DPoP replay cache and rate-limit counters in Redis (the API
  // refuses to start otherwise), and PostgreSQL is what replicas share: both use Redis.
  const usesRedis = database !== undefined || workers > 1;
  const shared: Record<string, string> = {
    ...(usesRedis ? { REDIS_URL: REDIS_SERVER, REDIS_KEY_PREFIX: redisPrefix } : {}),
    ...(database ? { DATABASE_URL: withDatabase(POSTGRES_SERVER, database) } : {}),
    DPOP_NONCE_SECRET: randomBytes(32).toString('base64url'),
  };

  const children: ChildProcess[] = [];
  const start = (
    script: string,
    {
      nodeArgs = [],
      extraEnv = {},
      production = false,
      args = [],
    }: {
      nodeArgs?: string[];
      extraEnv?: Record<string, string>;
      production?: boolean;
      args?: string[];
    } = {},
  ) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
      env: {
        ...process.env,
        ...vars,
        ...extraEnv,
        // The API as in production; the test IdP refuses to (demo accounts).
        NODE_ENV: production ? 'production' : 'development',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const stop = async () => {
    await stopChildren(children, dataDir);
    if (database) await onServer(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (usesRedis) await deleteKeysWithPrefix(REDIS_SERVER, redisPrefix);
  };
  const apiPids: number[] = [];
  let proxy: ChildProcess | undefined;
  try {
    if (database) await onServer(`CREATE DATABASE "${database}"`);
    if (scaleUser) {
      // The seed first, by the seed command (production mode refuses SEED_SCALE_CONTACTS at
      // start: it is demo data); it migrates the database too.
      const seed = start('servers/contacts-api/seed-scale-cli.ts', {
        extraEnv: shared,
        args: [scaleUser],
      });
      const seeded = await new Promise<number | null>((resolve) => seed.once('exit', resolve));
      if (seeded !== 0) throw new Error(`seeding ${scaleUser} failed (exit ${seeded})`);
    }

    const idp = start('servers/idp/main.ts');
    // BENCH_API_NODE_ARGS: extra Node flags for the API only (e.g. `--cpu-prof`).
    const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const apis = apiPorts.map((port) =>
      start('servers/contacts-api/main.ts', {
        nodeArgs,
        // Without a scale user (the sign-in and UI benchmarks), the demo address books: the
        // API seeds them in development mode only.
        production: scaleUser !== '',
        extraEnv: {
          ...shared,
          TRUSTED_ISSUERS: env.idpIssuer,
          API_PORT: String(port),
          ...apiEnv,
        },
      }),
    );
    if (proxyPort !== undefined) {
      proxy = start('bench/round-robin-proxy-cli.ts', {
        args: [String(proxyPort), ...apiPorts.map((port) => `http://localhost:${port}`)],
      });
    }
    await waitFor(`${env.idpIssuer}/.well-known/openid-configuration`, idp, 'test IdP');
    for (const [index, api] of apis.entries()) {
      await waitFor(`http://localhost:${apiPorts[index]}/health`, api, `API ${index + 1}`);
      if (api.pid === undefined) throw new Error('contacts API has no pid');
      apiPids.push(api.pid);
    }
    if (proxy) await waitFor(`http://localhost:${proxyPort}/health`, proxy, 'proxy');
  } catch (err) {
    await stop();
    throw err;
  }
  const apiUrl = proxyPort !== undefined ? `http://localhost:${proxyPort}` : env.apiUrl;
  return {
    env,
    apiUrl,
    setup,
    stop,
    apiCpuSeconds: () => sum(apiPids),
    proxyCpuSeconds: () => (proxy?.pid === undefined ? 0 : cpuSeconds(proxy.pid)),
    async serviceCpu() {
      const backends = database ? await backendPids(database) : [];
      const redisPid = usesRedis ? await redisServerPid() : undefined;
      return {
        database: () => sum(backends),
        redis: () => (redisPid === undefined ? 0 : cpuSeconds(redisPid)),
      };
    },
  };
}

function withDatabase(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.href;
}

/** The PostgreSQL server processes serving connections to `database` now. */
async function backendPids(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/** The Redis server's own process (it says so in INFO); undefined if not on this machine. */
async function redisServerPid(): Promise<number | undefined> {
  const redis = new Redis(REDIS_SERVER, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
    return Number.isInteger(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis')
      ? pid
      : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
