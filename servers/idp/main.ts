// Runs the test IdP: `npx tsx servers/idp/main.ts`. Ports, URLs and lifetimes come from
// servers/local-env.ts (IDP_PORT, API_PORT, SPA_PORT, *_TTL, DATA_DIR).
import { type LocalEnv, readLocalEnv } from '../local-env.ts';
import { type RunningIdp, startIdp } from './idp.ts';
import { testModeBanner } from './test-mode.ts';

function fail(message: string): never {
  console.error(`test IdP: ${message}`);
  process.exit(1);
}

let env: LocalEnv;
try {
  env = readLocalEnv();
} catch (error) {
  fail((error as Error).message);
}

let idp: RunningIdp;
try {
  idp = await startIdp(env);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`port ${env.idpPort} is already in use (set IDP_PORT to use another)`);
  }
  fail((error as Error).message);
}

console.log(`test IdP   ${env.idpIssuer}  (issuer)`);
if (env.idpTestMode) console.error(testModeBanner(env));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
