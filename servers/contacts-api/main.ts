// Starts the contacts API for `npm start`, Playwright and the benchmark: settings from the
// environment, demo seed (+ the optional 10k scale seed), HTTP on localhost.
import { findDemoUser } from '../demo-data.ts';
import { type ApiConfig, readApiConfig } from './config.ts';
import { seedDemoContacts } from './seed.ts';
import { seedScaleContacts } from './seed-scale.ts';
import { type RunningApi, startContactsApi } from './server.ts';

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

let api: RunningApi;
try {
  api = await startContactsApi({
    databaseFile: config.databaseFile,
    trustedIssuers: config.trustedIssuers,
    resource: config.resource,
    corsOrigins: config.corsOrigins,
    publicUrl: config.url,
    port: config.port,
    seed(store) {
      seedDemoContacts(store, config.local.idpIssuer);
      if (!scaleUser) return;
      const added = seedScaleContacts(store, { iss: config.local.idpIssuer, sub: scaleUser.sub });
      process.stdout.write(`contacts API: seeded ${added} contacts for ${scaleUser.username}\n`);
    },
  });
} catch (err) {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`port ${config.port} is already in use (set API_PORT to use another)`);
  }
  fail(`could not start: ${(err as Error).message}`);
}
process.stdout.write(`contacts API ${config.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3_000).unref(); // don't let a stuck connection block exit
  api.close().finally(() => process.exit(0));
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
