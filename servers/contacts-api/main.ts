// Starts the contacts API for `npm start` and Playwright: env → store (+ demo seed) →
// verifier bound to the issuer's discovered JWKS → HTTP on localhost.
import path from 'node:path';
import { readLocalEnv } from '../local-env.ts';
import { buildApp } from './app.ts';
import { createDiscoveredJwks } from './discover-jwks.ts';
import { seedDemoContacts } from './seed.ts';
import { openContactStore } from './store.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

function fail(message: string): never {
  process.stderr.write(`contacts API: ${message}\n`);
  process.exit(1);
}

let env: ReturnType<typeof readLocalEnv>;
let store: ReturnType<typeof openContactStore>;
try {
  env = readLocalEnv();
  store = openContactStore(path.join(env.dataDir, 'contacts.sqlite'));
  seedDemoContacts(store, env.idpIssuer);
} catch (err) {
  fail(`could not start: ${err instanceof Error ? err.message : String(err)}`);
}

const app = buildApp({
  store,
  verifier: createAccessTokenVerifier({
    issuer: env.idpIssuer,
    audience: env.apiUrl, // the API's resource indicator
    getKey: createDiscoveredJwks(env.idpIssuer),
  }),
  corsOrigins: [env.spaOrigin],
});

try {
  // `localhost` binds every loopback address it resolves to (127.0.0.1 and ::1).
  await app.listen({ port: env.apiPort, host: 'localhost' });
} catch (err) {
  store.close();
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`port ${env.apiPort} is already in use (set API_PORT to use another)`);
  }
  fail(`could not listen on port ${env.apiPort}: ${(err as Error).message}`);
}
process.stdout.write(`contacts API ${env.apiUrl}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3_000).unref(); // don't let a stuck connection block exit
  app.close().finally(() => {
    store.close();
    process.exit(0);
  });
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
