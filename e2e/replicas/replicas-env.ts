// The replicas e2e environment: three contacts API processes on one PostgreSQL database (and
// one Redis key prefix), behind a round-robin HTTP proxy, with the test IdP and the SPA
// server. Its own ports, data folder, database and key prefix, apart from the core run's.
// Set once in the runner; the workers inherit it through the environment.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.E2E_REPLICAS_DATA_DIR ??= mkdtempSync(
  path.join(tmpdir(), 'oidc-contacts-e2e-replicas-'),
);
process.env.E2E_REPLICAS_RUN ??= `${process.pid}_${randomBytes(3).toString('hex')}`;

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const ports = {
  idp: port('E2E_REPLICAS_IDP_PORT', 4300),
  proxy: port('E2E_REPLICAS_PROXY_PORT', 4301),
  spa: port('E2E_REPLICAS_SPA_PORT', 5473),
  replicas: [4311, 4312, 4313].map((fallback, i) =>
    port(`E2E_REPLICAS_API_PORT_${i + 1}`, fallback),
  ),
};

export const replicasDataDir = process.env.E2E_REPLICAS_DATA_DIR;
const run = process.env.E2E_REPLICAS_RUN;

/** The machine's PostgreSQL and Redis (CI's too); the run makes its own database and prefix. */
export const postgresServer =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const redisServer = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const databaseName = `contacts_e2e_replicas_${run}`;
export const databaseUrl = (() => {
  const url = new URL(postgresServer);
  url.pathname = `/${databaseName}`;
  return url.href;
})();
export const redisKeyPrefix = `contacts-e2e-replicas:${run}:`;

export const urls = {
  idp: `http://localhost:${ports.idp}`,
  /** The API's one public URL: the proxy. DPoP proofs name it, whichever replica answers. */
  api: `http://localhost:${ports.proxy}`,
  spa: `http://localhost:${ports.spa}`,
  replica: (index: number) => `http://127.0.0.1:${ports.replicas[index]}`,
};

/** Each replica's stdout and stderr; the pid file the specs use to kill one. */
export const replicaLog = (index: number) => path.join(replicasDataDir, `api-${index + 1}.log`);
export const replicaPidFile = (index: number) => path.join(replicasDataDir, `api-${index + 1}.pid`);

/**
 * The replicas' per-user rate limit (counted in Redis, across all three): low and short, so
 * rate-limits.spec.ts reaches it in a second and the app waits it out in seconds; far above
 * what the other specs send one user in a window (the SIGKILL burst: 120 writes).
 */
export const rateLimit = { perUser: 250, windowSeconds: 15 };

process.env.E2E_REPLICAS_NONCE_SECRET ??= randomBytes(32).toString('base64url');
/** Shared by every replica: what one issues (nonces), the others must accept. */
export const dpopNonceSecret = process.env.E2E_REPLICAS_NONCE_SECRET;
