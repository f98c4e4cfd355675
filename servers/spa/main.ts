// Serves the built SPA (dist/) with its security headers and runtime config: `npm start`,
// the e2e suite, and production (docs/deploy.md). Settings: spa-settings.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exitOnListenError } from '../listen-errors.ts';
import { createSpaServer } from './create-spa-server.ts';
import type { CspViolation } from './csp-reports.ts';
import { discoverEndpointOrigins } from './endpoint-origins.ts';
import { liveConfig } from './live-config.ts';
import { checkProductionConfig, readSpaSettings, type SpaSettings } from './spa-settings.ts';

let settings: SpaSettings;
try {
  settings = readSpaSettings();
} catch (error) {
  console.error(`SPA server: ${(error as Error).message}`);
  process.exit(1);
}
const { local, distDir, configText, configPath } = settings;

// Served as read now; SPA_CONFIG_PATH's file again whenever it changes, checked as at start.
const config = liveConfig({
  initialText: configText ?? readBuiltConfig(),
  file: configPath,
  check: local.production ? (text) => checkProductionConfig(text, 'SPA_CONFIG_PATH') : undefined,
  discover: (issuers) => discoverEndpointOrigins(issuers),
});
const reports: CspViolation[] = [];

const app = await createSpaServer({
  distDir,
  readConfig: config.text,
  endpointOrigins: config.endpointOrigins,
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
    config.stop();
    void app.close().then(() => process.exit(0));
  });
}

/** The build's own config.json (the local demo's); none without a build. */
function readBuiltConfig(): string {
  try {
    return readFileSync(path.join(distDir, 'config.json'), 'utf8');
  } catch {
    console.error(`SPA server: ${distDir} has no build; run "npm run build" first`);
    process.exit(1);
  }
}
