import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exitOnListenError } from '../listen-errors.ts';
import { readLocalEnv } from '../local-env.ts';
import { configuredOrigins } from './content-security-policy.ts';
import { createSpaServer } from './create-spa-server.ts';
import type { CspViolation } from './csp-reports.ts';
import { discoverEndpointOrigins } from './endpoint-origins.ts';

const env = readLocalEnv();
const distDir = path.resolve(process.env.SPA_DIST_DIR || 'dist');

const configPath = process.env.SPA_CONFIG_PATH || undefined;
const endpoints = discoverEndpointOrigins(configuredIssuers());
// SPA_EXPOSE_CSP_REPORTS=1 (e2e only): the last reports at GET /csp-reports, to assert on.
const exposeReports = process.env.SPA_EXPOSE_CSP_REPORTS === '1';
const reports: CspViolation[] = [];

const app = await createSpaServer({
  distDir,
  configPath,
  endpointOrigins: endpoints.current,
  // SPA_TRUSTED_TYPES=report-only: the e2e suite only (Playwright's clock needs it).
  trustedTypes: process.env.SPA_TRUSTED_TYPES === 'report-only' ? 'report-only' : 'enforce',
  onViolation(violation) {
    console.log(
      `SPA: CSP violation: ${violation.directive} blocked ${violation.blocked} on ${violation.page}`,
    );
    if (!exposeReports) return;
    reports.push(violation);
    if (reports.length > 100) reports.shift();
  },
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'ENOENT') {
    console.error(`SPA server: ${distDir} has no build; run "npm run build" first`);
    process.exit(1);
  }
  throw error;
});
if (exposeReports) app.get('/csp-reports', async () => reports);
await app
  .listen({ port: env.spaPort, host: 'localhost' })
  .catch(exitOnListenError('SPA server', env.spaPort, 'SPA_PORT'));
console.log(`SPA         ${env.spaOrigin}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    endpoints.stop();
    void app.close().then(() => process.exit(0));
  });
}

/** The issuers named in the runtime config (whichever file is served). */
function configuredIssuers(): string[] {
  try {
    const file = configPath ?? path.join(distDir, 'config.json');
    return configuredOrigins(JSON.parse(readFileSync(file, 'utf8'))).issuers;
  } catch {
    return []; // createSpaServer reports a missing build; a bad config shows in the SPA
  }
}
