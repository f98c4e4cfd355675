// Starts the contacts API for `npm start`, Playwright, the benchmark and production: settings
// from the environment (config.ts), the demo seed outside production (+ the optional 10k
// scale seed), HTTP on API_HOST, JSON request lines on stdout.
// API_WORKERS=n (n > 1) runs n HTTP processes with node:cluster, sharing the port and the
// SQLite file (WAL: readers never block each other, writes take turns): this primary
// migrates and seeds once, then only supervises. Default 1: one process, as in dev and e2e.
// More than one needs REDIS_URL (config.ts): the workers share the DPoP replay cache there.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { findDemoUser } from '../demo-data.ts';
import { type ApiConfig, readApiConfig } from './config.ts';
import { seedDemoContacts } from './seed.ts';
import { quotaNote, seedScaleContacts } from './seed-scale.ts';
import { type RunningApi, startContactsApi } from './server.ts';
import { openStore } from './store/open-store.ts';
import type { ContactStore } from './store/store.ts';

/**
 * On SIGTERM (or Ctrl-C) in-flight requests get this long to finish; then their
 * connections are cut. Either way the database is closed before the process exits 0.
 */
const SHUTDOWN_BOUND_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`contacts API: ${message}\n`);
  process.exit(1);
}

let config: ApiConfig;
try {
  config = readApiConfig();
} catch (err) {
  fail(`could not start: ${(err as Error).message}`);
}
const scaleUser = config.scaleSeedUsername && findDemoUser(config.scaleSeedUsername);
if (config.scaleSeedUsername && !scaleUser) {
  fail(`SEED_SCALE_CONTACTS names no demo user: "${config.scaleSeedUsername}"`);
}

async function seed(store: ContactStore): Promise<void> {
  if (!config.seedDemo) return;
  const quota = config.quotas.contacts;
  await seedDemoContacts(store, config.local.idpIssuer, { quota });
  if (!scaleUser) return;
  const owner = { iss: config.local.idpIssuer, sub: scaleUser.sub };
  const added = await seedScaleContacts(store, owner, { quota });
  process.stdout.write(
    `contacts API: seeded ${added} contacts for ${scaleUser.username}${quotaNote(quota)}\n`,
  );
}

if (config.workers > 1 && cluster.isPrimary) {
  // Workers inherit the environment: one DPoP nonce secret for all of them.
  config.dpopNonceSecret ??= randomBytes(32).toString('base64url');
  process.env.DPOP_NONCE_SECRET = config.dpopNonceSecret;
  await superviseWorkers(config.workers);
} else {
  await serve(cluster.isWorker ? undefined : seed);
}

async function serve(
  seedStore: ((store: ContactStore) => Promise<void>) | undefined,
): Promise<void> {
  let api: RunningApi;
  try {
    api = await startContactsApi({
      databaseFile: config.databaseFile,
      databaseUrl: config.databaseUrl,
      databasePoolSize: config.databasePoolSize,
      databaseTimeoutMs: config.databaseTimeoutMs,
      trustedIssuers: config.trustedIssuers,
      issuerProfiles: config.issuerProfiles,
      resource: config.resource,
      corsOrigins: config.corsOrigins,
      publicUrl: config.url,
      port: config.port,
      host: config.host,
      dpopNonceSecret: config.dpopNonceSecret,
      redis: config.redisUrl
        ? {
            url: config.redisUrl,
            keyPrefix: config.redisKeyPrefix,
            noEvictionConfirmed: config.redisNoEvictionConfirmed,
          }
        : undefined,
      dpopProofsPerMinute: config.dpopProofsPerMinute,
      pageCacheBytes: config.pageCacheBytes,
      quotas: config.quotas,
      rateLimits: config.rateLimits,
      trustedProxies: config.trustedProxies,
      seed: seedStore,
      // IMPORTANT: JSON lines without headers, bodies or URLs (shared/request-log.ts).
      requestLog: config.local.requestLog ? process.stdout : undefined,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`port ${config.port} is already in use (set API_PORT to use another)`);
    }
    fail(`could not start: ${(err as Error).message}`);
  }
  if (cluster.isPrimary) process.stdout.write(`contacts API ${config.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) {
      process.stdout.write(
        `contacts API: ${signal}: finishing in-flight requests, then stopping\n`,
      );
    }
    // Stops accepting at once (a request on a kept-alive connection gets 503), waits for the
    // requests in flight, then closes the database (server.ts). A request that outlives the
    // bound loses its connection; its SQLite transaction is atomic either way.
    const cut = setTimeout(() => {
      process.stderr.write(
        `contacts API: requests still running after ${SHUTDOWN_BOUND_MS / 1000} s; closing their connections\n`,
      );
      api.app.server.closeAllConnections();
    }, SHUTDOWN_BOUND_MS);
    cut.unref();
    api.close().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`contacts API: stopping failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function superviseWorkers(count: number): Promise<void> {
  // Migrations and seeds run once, before any worker opens the file.
  try {
    const store = await openStore(config);
    try {
      await seed(store);
    } finally {
      await store.close();
    }
  } catch (err) {
    fail(`could not start: ${(err as Error).message}`);
  }
  let listening = 0;
  let exited = 0;
  let status = 0;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // The workers' own bound, and a little more for them to close the database.
    setTimeout(() => process.exit(status), SHUTDOWN_BOUND_MS + 2_000).unref();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  cluster.on('listening', () => {
    listening += 1;
    if (listening === count)
      process.stdout.write(`contacts API ${config.url} (${count} workers)\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    // One worker gone means the API is not what was asked for: stop all, loudly.
    if (!stopping && code !== 0) {
      status = 1;
      process.stderr.write(`contacts API: worker ${worker.id} exited (${signal ?? code})\n`);
    }
    stop();
    exited += 1;
    if (exited === count) process.exit(status);
  });
  // Ctrl-C reaches the workers too (same process group); SIGTERM only this process.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < count; i += 1) cluster.fork();
}
