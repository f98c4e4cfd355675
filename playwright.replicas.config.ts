// The replicas e2e environment (scripts/run-e2e.ts runs it after core and tls): three
// contacts API processes on one PostgreSQL database and one Redis prefix, behind a
// round-robin proxy (e2e/replicas/global-setup.ts), with real tokens from the test IdP.
// What one replica accepted or stored, the others must know.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findBrowser } from './e2e/browser.ts';
import { ports, replicasDataDir, urls } from './e2e/replicas/replicas-env.ts';
import { localSpaConfig } from './servers/local-spa-config.ts';

const spaConfigFile = path.join(replicasDataDir, 'spa-config.json');
mkdirSync(replicasDataDir, { recursive: true });
writeFileSync(
  spaConfigFile,
  JSON.stringify(localSpaConfig({ idpIssuer: urls.idp, apiUrl: urls.api })),
);

const shared = {
  DATA_DIR: replicasDataDir,
  IDP_PORT: String(ports.idp),
  API_PUBLIC_URL: urls.api,
  SPA_PORT: String(ports.spa),
  REQUEST_LOG: '0',
};
const browser = findBrowser();
export default defineConfig({
  testDir: 'e2e/replicas',
  outputDir: path.join(process.env.E2E_OUTPUT_DIR ?? 'test-results', 'replicas'),
  globalSetup: './e2e/replicas/global-setup.ts',
  // The specs share three processes and kill one of them: one at a time.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: urls.spa,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      args: chromiumArgs,
      ...(browser.kind === 'system' ? { executablePath: browser.executablePath } : {}),
    },
  },
  webServer: [
    {
      name: 'test IdP',
      command: 'node --import tsx servers/idp/main.ts',
      url: `${urls.idp}/.well-known/openid-configuration`,
      // Access tokens live 10 s: the journey sees a renewal without clock tricks.
      env: { ...shared, IDP_REQUIRE_DPOP: '1', ACCESS_TOKEN_TTL: '10' },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      name: 'SPA server',
      command: 'node --import tsx servers/spa/main.ts',
      url: `${urls.spa}/config.json`,
      env: { ...shared, SPA_CONFIG_PATH: spaConfigFile },
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
