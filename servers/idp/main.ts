// Runs the test IdP: `npx tsx servers/idp/main.ts`. Ports, URLs and lifetimes come from
// servers/local-env.ts (IDP_PORT, IDP_ISSUER, IDP_HOST, API_PUBLIC_URL, SPA_PUBLIC_URL, *_TTL,
// DATA_DIR). Never in production: it signs in demo accounts whose passwords are published.
import { type LocalEnv, readLocalEnv } from '../local-env.ts';

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

if (env.production) {
  fail(
    'refused in production (NODE_ENV=production): it signs in demo accounts with published passwords; use a real OpenID Provider (docs/deploy.md)',
  );
}

// Loaded only once the settings are known good: oidc-provider prints a warning on Node 20
// when loaded, which would bury the one line that says why it did not start.
const { startIdp } = await import('./idp.ts');
const { testModeBanner } = await import('./test-mode.ts');
let idp: Awaited<ReturnType<typeof startIdp>>;
try {
  // IMPORTANT: JSON lines with the path, never the query (access-log.ts).
  idp = await startIdp(env, env.requestLog ? { requestLog: process.stdout } : {});
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
