// Starts the real test IdP and contacts API as child processes (as `npm start` does), on
// free ports with a temp data folder, so the benchmark's load generator has a core of its
// own instead of competing with the server inside one event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../servers/free-port.ts';
import { type LocalEnv, readLocalEnv } from '../servers/local-env.ts';

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
  /** CPU seconds (user + system) used so far by the API process and its children (workers). */
  apiCpuSeconds(): number;
  /** SIGTERM to both, resolved once they have exited (so the next run has the CPU). */
  stop(): Promise<void>;
}

/** Requests per window per user and per address when the environment names none. */
export const BENCH_RATE_LIMIT = '1000000000';

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
): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const vars: Record<string, string> = {
    IDP_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SPA_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: '3600', // one token for the whole run
    SEED_SCALE_CONTACTS: scaleUser,
    // One token and one address make every request: limits on (their cost is measured) but
    // out of reach, unless the caller's environment sets them (bench/api-throughput.ts prints them).
    API_RATE_LIMIT_PER_USER: process.env.API_RATE_LIMIT_PER_USER?.trim() || BENCH_RATE_LIMIT,
    API_RATE_LIMIT_PER_ADDRESS: process.env.API_RATE_LIMIT_PER_ADDRESS?.trim() || BENCH_RATE_LIMIT,
  };
  const env = readLocalEnv(vars);
  const children: ChildProcess[] = [];
  const start = (
    script: string,
    nodeArgs: string[] = [],
    extraEnv: Record<string, string> = {},
  ) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
      env: { ...process.env, ...vars, ...extraEnv, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const stop = () => stopChildren(children, dataDir);
  let api: ChildProcess;
  try {
    const idp = start('servers/idp/main.ts');
    // BENCH_API_NODE_ARGS: extra Node flags for the API only (e.g. `--cpu-prof`).
    const apiArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    // Several workers share the DPoP replay cache in Redis (the API refuses to start
    // otherwise): the machine's, under a key prefix of the benchmark's own.
    const shared: Record<string, string> =
      Number(apiEnv.API_WORKERS ?? 1) > 1
        ? {
            REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
            REDIS_KEY_PREFIX: 'contacts-api-bench:',
          }
        : {};
    api = start('servers/contacts-api/main.ts', apiArgs, { ...shared, ...apiEnv });
    await waitFor(`${env.idpIssuer}/.well-known/openid-configuration`, idp, 'test IdP');
    await waitFor(`${env.apiUrl}/health`, api, 'contacts API');
  } catch (err) {
    await stop();
    throw err;
  }
  const apiPid = api.pid;
  if (apiPid === undefined) throw new Error('contacts API has no pid');
  return { env, stop, apiCpuSeconds: () => cpuSeconds(apiPid) };
}
