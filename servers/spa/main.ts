// Serves the built SPA (dist/) with its security headers and runtime config: `npm start`,
// the e2e suite, and production (docs/deploy.md). Settings: spa-settings.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exitOnListenError } from '../listen-errors.ts';
import { configuredOrigins } from './content-security-policy.ts';
import { createSpaServer } from './create-spa-server.ts';
import type { CspViolation } from './csp-reports.ts';
import { discoverEndpointOrigins } from './endpoint-origins.ts';
import { readSpaSettings, type SpaSettings } from './spa-settings.ts';

let settings: SpaSettings;
try {
  settings = readSpaSettings();
} catch (error) {
  console.error(`SPA server: ${(error as Error).message}`);
  process.exit(1);
}
const { local, distDir, configText } = settings;

const endpoints = discoverEndpointOrigins(configuredIssuers());
const reports: CspViolation[] = [];

const app = await createSpaServer({
  distDir,
  configText,
  endpointOrigins: endpoints.current,
  trustedTypes: settings.trustedTypes,
  cspReportLimit: { perAddress: settings.cspReportsPerMinute, windowSeconds: 60 },
  trustedProxies: settings.trustedProxies,
  // IMPORTANT: JSON lines with the path, never the query (shared/request-log.ts).
  requestLog: local.requestLog ? process.stdout : undefined,
  onViolation(violation) {
    console.log(
      `SPA: CSP violation: ${violation.directive} blocked ${violation.blocked} on ${violation.page}`,
    );
    if (!settings.exposeCspReports) return;
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
if (settings.exposeCspReports) app.get('/csp-reports', async () => reports);
await app
  .listen({ port: local.spaPort, host: local.spaHost })
  .catch(exitOnListenError('SPA server', local.spaPort, 'SPA_PORT'));
console.log(`SPA         ${local.spaOrigin}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    endpoints.stop();
    void app.close().then(() => process.exit(0));
  });
}

/** The issuers named in the runtime config (whichever is served). */
function configuredIssuers(): string[] {
  try {
    const text = configText ?? readFileSync(path.join(distDir, 'config.json'), 'utf8');
    return configuredOrigins(JSON.parse(text)).issuers;
  } catch {
    return []; // createSpaServer reports a missing build; a bad config shows in the SPA
  }
}
