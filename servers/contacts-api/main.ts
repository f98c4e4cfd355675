// Starts the contacts API for `npm start`, Playwright and the benchmark: settings from the
// environment, demo seed (+ the optional 10k scale seed), HTTP on localhost.
// API_WORKERS=n (n > 1) runs n HTTP processes with node:cluster, sharing the port and the
// SQLite file (WAL: readers never block each other, writes take turns): this primary
// migrates and seeds once, then only supervises. Default 1: one process, as in dev and e2e.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { findDemoUser } from '../demo-data.ts';
import { type ApiConfig, readApiConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { seedDemoContacts } from './seed.ts';
import { seedScaleContacts } from './seed-scale.ts';
import { type RunningApi, startContactsApi } from './server.ts';
import { type ContactStore, createContactStore } from './store.ts';

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

function seed(store: ContactStore): void {
  seedDemoContacts(store, config.local.idpIssuer);
  if (!scaleUser) return;
  const added = seedScaleContacts(store, { iss: config.local.idpIssuer, sub: scaleUser.sub });
  process.stdout.write(`contacts API: seeded ${added} contacts for ${scaleUser.username}\n`);
}

if (config.workers > 1 && cluster.isPrimary) {
  // Workers inherit the environment: one DPoP nonce secret for all of them.
  process.env.DPOP_NONCE_SECRET ||= randomBytes(32).toString('base64url');
  superviseWorkers(config.workers);
} else {
  await serve(cluster.isWorker ? undefined : seed);
}

async function serve(seedStore: ((store: ContactStore) => void) | undefined): Promise<void> {
  let api: RunningApi;
  try {
    api = await startContactsApi({
      databaseFile: config.databaseFile,
      trustedIssuers: config.trustedIssuers,
      resource: config.resource,
      corsOrigins: config.corsOrigins,
      publicUrl: config.url,
      port: config.port,
      dpopNonceSecret: process.env.DPOP_NONCE_SECRET,
      pageCacheBytes: config.pageCacheBytes,
      seed: seedStore,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`port ${config.port} is already in use (set API_PORT to use another)`);
    }
    fail(`could not start: ${(err as Error).message}`);
  }
  if (cluster.isPrimary) process.stdout.write(`contacts API ${config.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3_000).unref(); // don't let a stuck connection block exit
    api.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function superviseWorkers(count: number): void {
  // Migrations and seeds run once, before any worker opens the file.
  try {
    const db = openDatabase(config.databaseFile);
    try {
      seed(createContactStore(db));
    } finally {
      db.close();
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
    setTimeout(() => process.exit(status), 4_000).unref();
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
