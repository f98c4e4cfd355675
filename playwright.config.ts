import { mkdirSync, writeFileSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findBrowser } from './e2e/browser.ts';
import { e2eEnv, provider, secondIdp, serverEnv, spaConfigPath } from './e2e/e2e-env.ts';
import { localSpaConfig } from './servers/local-spa-config.ts';

mkdirSync(e2eEnv.dataDir, { recursive: true });
const spaConfig = localSpaConfig(e2eEnv);
if (provider.external) {
  // External-provider mode (e2e/README.md): the app signs in at that provider instead.
  const [local] = spaConfig.providers;
  if (!local) throw new Error('localSpaConfig has no provider to replace');
  spaConfig.providers = [
    {
      ...local,
      label: 'External provider',
      issuer: provider.issuer,
      clientId: provider.clientId,
      scopes: provider.scopes,
      dpop: provider.dpop,
      ...provider.settings,
    },
  ];
} else {
  // Two providers: the several-providers journeys use the second; the rest pick the first.
  const [local] = spaConfig.providers;
  if (local)
    spaConfig.providers.push({
      ...local,
      id: 'second',
      label: secondIdp.label,
      issuer: secondIdp.issuer,
      dpop: false, // a provider without DPoP: plain bearer tokens keep working
      // Its own scope names (IDP_CONTACTS_SCOPES): asked for and read by this mapping.
      scopes: ['openid', 'profile', 'email', secondIdp.contactsScopes.read],
      contactsScopes: secondIdp.contactsScopes,
    });
}
writeFileSync(spaConfigPath, JSON.stringify(spaConfig));
// Key rotation and clock shifts affect everyone: those specs run after all the others.
// One file, serial: two global specs in parallel workers would rotate keys under each other.
const GLOBAL_SPECS = /idp-global-controls\.spec\.ts/;
// Other environments' specs (scripts/run-e2e.ts runs each with its own config).
const OTHER_ENVIRONMENTS = /[\\/]e2e[\\/](tls|replicas|glewlwyd)[\\/]/;

const browser = findBrowser();
const env = {
  ...serverEnv,
  SPA_CONFIG_PATH: spaConfigPath,
  TRUSTED_ISSUERS: provider.external ? provider.issuer : `${e2eEnv.idpIssuer},${secondIdp.issuer}`,
  // The API reads the second IdP's scope names as the contacts permissions.
  ...(provider.external
    ? {}
    : {
        ISSUER_PROFILES: JSON.stringify({
          [secondIdp.issuer]: {
            profile: 'rfc9068',
            scopes: {
              'contacts:read': secondIdp.contactsScopes.read,
              'contacts:write': secondIdp.contactsScopes.write,
            },
          },
        }),
      }),
} as Record<string, string>;

export default defineConfig({
  testDir: 'e2e',
  // Several runs may share a checkout (each with its own E2E_*_PORT): keep artifacts apart.
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // External-provider mode runs only the provider-agnostic journeys.
  ...(provider.external ? { grep: /@any-provider/ } : {}),
  use: {
    baseURL: e2eEnv.spaOrigin,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      args: chromiumArgs,
      ...(browser.kind === 'system' ? { executablePath: browser.executablePath } : {}),
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'] },
      testIgnore: [GLOBAL_SPECS, OTHER_ENVIRONMENTS],
    },
    {
      name: 'global-controls',
      use: { ...devices['Desktop Chrome'] },
      testMatch: GLOBAL_SPECS,
      dependencies: ['chromium'],
    },
  ],
  webServer: [
    ...(provider.external && !provider.startLocalIdp
      ? []
      : [
          {
            name: 'test IdP',
            command: 'node --import tsx servers/idp/main.ts',
            url: `${e2eEnv.idpIssuer}/.well-known/openid-configuration`,
            env,
            reuseExistingServer: false,
            timeout: 30_000,
          },
        ]),
    ...(provider.external
      ? []
      : [
          {
            name: 'second IdP',
            command: 'node --import tsx servers/idp/main.ts',
            url: `${secondIdp.issuer}/.well-known/openid-configuration`,
            env: secondIdp.env as Record<string, string>,
            reuseExistingServer: false,
            timeout: 30_000,
          },
        ]),
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
