// Starts, kills and stops the replicas environment's API processes. Each is a plain
// `node servers/contacts-api/main.ts` with its own port, on the run's database and Redis
// prefix, and records its pid in the run's data folder: the global setup starts them, a spec
// may kill one (SIGKILL) and start it again, the teardown stops whatever runs.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  databaseUrl,
  dpopNonceSecret,
  ports,
  rateLimit,
  redisKeyPrefix,
  redisServer,
  replicaLog,
  replicaPidFile,
  replicasDataDir,
  urls,
} from './replicas-env.ts';

export const REPLICA_COUNT = ports.replicas.length;

const replicaEnv = (index: number): NodeJS.ProcessEnv => ({
  ...process.env,
  DATA_DIR: replicasDataDir,
  API_HOST: '127.0.0.1',
  API_PORT: String(ports.replicas[index]),
  API_PUBLIC_URL: urls.api,
  IDP_PORT: String(ports.idp),
  SPA_PUBLIC_URL: urls.spa,
  DATABASE_URL: databaseUrl,
  // Three processes on one machine's PostgreSQL: small pools.
  DATABASE_POOL_SIZE: '4',
  REDIS_URL: redisServer,
  REDIS_KEY_PREFIX: redisKeyPrefix,
  DPOP_NONCE_SECRET: dpopNonceSecret,
  API_RATE_LIMIT_PER_USER: String(rateLimit.perUser),
  API_RATE_LIMIT_WINDOW_SECONDS: String(rateLimit.windowSeconds),
});

/** Starts replica `index` (0-based) and waits until it answers /health. */
export async function startReplica(index: number): Promise<void> {
  const log = openSync(replicaLog(index), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'servers/contacts-api/main.ts'], {
    env: replicaEnv(index),
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`API replica ${index + 1} did not start`);
  writeFileSync(replicaPidFile(index), String(child.pid));
  let exited: number | string | null = null;
  child.once('exit', (code, signal) => {
    exited = code ?? signal;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited !== null) break;
    const healthy = await fetch(`${urls.replica(index)}/health`).then(
      (answer) => answer.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling a process we started
  }
  const tail = readFileSync(replicaLog(index), 'utf8').split('\n').slice(-10).join('\n');
  throw new Error(
    `API replica ${index + 1} ${exited === null ? 'not healthy after 30 s' : `exited (${exited})`}; its log:\n${tail}`,
  );
}

function pidOf(index: number): number | undefined {
  const file = replicaPidFile(index);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Ends replica `index` and returns once its process is gone: SIGKILL (no shutdown, no
 * goodbye), or SIGTERM with up to 15 s to finish its requests before a SIGKILL.
 */
async function endReplica(index: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const pid = pidOf(index);
  if (pid === undefined) return;
  const send = (sent: NodeJS.Signals) => {
    try {
      process.kill(pid, sent);
    } catch {} // gone already
  };
  send(signal);
  const deadline = Date.now() + 15_000;
  while (isRunning(pid)) {
    if (Date.now() > deadline) send('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  rmSync(replicaPidFile(index), { force: true });
}

export const killReplica = (index: number) => endReplica(index, 'SIGKILL');
export const stopReplica = (index: number) => endReplica(index, 'SIGTERM');
