import { mkdirSync, writeFileSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findBrowser } from './e2e/browser.ts';
import { e2eEnv, serverEnv, spaConfigPath } from './e2e/e2e-env.ts';
import { localSpaConfig } from './servers/local-spa-config.ts';

mkdirSync(e2eEnv.dataDir, { recursive: true });
writeFileSync(spaConfigPath, JSON.stringify(localSpaConfig(e2eEnv)));

const browser = findBrowser();
const env = { ...serverEnv, SPA_CONFIG_PATH: spaConfigPath } as Record<string, string>;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: e2eEnv.spaOrigin,
    trace: 'retain-on-failure',
    launchOptions: {
      args: chromiumArgs,
      ...(browser.kind === 'system' ? { executablePath: browser.executablePath } : {}),
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      name: 'test IdP',
      command: 'node --import tsx servers/idp/main.ts',
      url: `${e2eEnv.idpIssuer}/.well-known/openid-configuration`,
      env,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      name: 'contacts API',
      command: 'node --import tsx servers/contacts-api/main.ts',
      url: `${e2eEnv.apiUrl}/health`,
      env,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      name: 'SPA',
      command: 'node --import tsx servers/spa/main.ts',
      url: `${e2eEnv.spaOrigin}/config.json`,
      env,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
