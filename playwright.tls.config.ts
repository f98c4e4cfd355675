// The tls e2e environment (scripts/run-e2e.ts runs it after core): the app, the API and the
// test IdP on three hostnames over HTTPS, behind the nginx configuration docs/deploy.md
// shows, with a test CA made now. The SPA server and the API run in production mode (no demo
// seed, Trusted Types enforced); renewals come from short token lifetimes, not from a clock.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findBrowser } from './e2e/browser.ts';
import { makeTestCertificates } from './e2e/tls/test-ca.ts';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  hostnames,
  logFiles,
  tlsDataDir,
  tlsUrls,
  upstream,
} from './e2e/tls/tls-env.ts';
import { localSpaConfig } from './servers/local-spa-config.ts';

const tlsDir = path.join(tlsDataDir, 'tls');
const spaConfigFile = path.join(tlsDataDir, 'spa-config.json');
// Once, in the runner: workers inherit the pin through the environment.
if (!process.env.E2E_TLS_SPKI) {
  try {
    execFileSync('sh', ['-c', 'command -v nginx && command -v openssl'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'missing prerequisite: nginx or openssl (install them: scripts/install-debian-packages.sh nginx openssl)',
    );
  }
  mkdirSync(tlsDir, { recursive: true });
  const certificates = makeTestCertificates(tlsDir, Object.values(hostnames));
  process.env.E2E_TLS_SPKI = certificates.spkiSha256;
  writeFileSync(
    spaConfigFile,
    JSON.stringify(localSpaConfig({ idpIssuer: tlsUrls.idp, apiUrl: tlsUrls.api })),
  );
}

const public_ = {
  SPA_PUBLIC_URL: tlsUrls.app,
  API_PUBLIC_URL: tlsUrls.api,
  IDP_ISSUER: tlsUrls.idp,
};
/** The Node side reaches the public https URLs like a browser: the test CA, *.test → loopback. */
const node = (main: string, log: string) =>
  `exec node --import tsx --import ./e2e/tls/resolve-test-hosts.ts ${main} >> ${log} 2>&1`;
const nodeEnv = { NODE_EXTRA_CA_CERTS: path.join(tlsDir, 'ca.pem'), DATA_DIR: tlsDataDir };
const server = (name: string, log: string) => ({
  // The log file is where a server that did not start says why.
  name: `${name} (log: ${log})`,
  reuseExistingServer: false,
  timeout: 30_000,
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
});

const browser = findBrowser();
export default defineConfig({
  testDir: 'e2e/tls',
  outputDir: path.join(process.env.E2E_OUTPUT_DIR ?? 'test-results', 'tls'),
  globalSetup: './e2e/tls/global-setup.ts',
  // One journey, in order: sign-in, contacts, renewal, sign-out; then its logs are read.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: tlsUrls.app,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      args: [
        ...chromiumArgs,
        `--host-resolver-rules=MAP *.contacts.test 127.0.0.1, MAP ${hostnames.idp} 127.0.0.1`,
        // Trusts exactly the test certificate (its key's hash), nothing else.
        `--ignore-certificate-errors-spki-list=${process.env.E2E_TLS_SPKI}`,
      ],
      ...(browser.kind === 'system' ? { executablePath: browser.executablePath } : {}),
    },
  },
  webServer: [
    {
      ...server('test IdP', logFiles.idp),
      command: node('servers/idp/main.ts', logFiles.idp),
      url: `http://127.0.0.1:${upstream.idp}/.well-known/openid-configuration`,
      env: {
        ...nodeEnv,
        ...public_,
        IDP_PORT: String(upstream.idp),
        IDP_HOST: '127.0.0.1',
        IDP_REQUIRE_DPOP: '1',
        ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS),
      },
    },
    {
      ...server('contacts API', logFiles.api),
      command: node('servers/contacts-api/main.ts', logFiles.api),
      url: `http://127.0.0.1:${upstream.api}/health`,
      env: {
        ...nodeEnv,
        ...public_,
        NODE_ENV: 'production',
        API_PORT: String(upstream.api),
        API_HOST: '127.0.0.1',
        TRUSTED_ISSUERS: tlsUrls.idp,
        // nginx (docs/nginx/contacts.conf.template) connects from loopback and sends X-Forwarded-For.
        API_TRUSTED_PROXIES: '127.0.0.1',
      },
    },
    {
      ...server('SPA server', logFiles.spa),
      command: node('servers/spa/main.ts', logFiles.spa),
      url: `http://127.0.0.1:${upstream.spa}/config.json`,
      env: {
        ...nodeEnv,
        ...public_,
        NODE_ENV: 'production',
        SPA_PORT: String(upstream.spa),
        SPA_HOST: '127.0.0.1',
        SPA_CONFIG_PATH: spaConfigFile,
        SPA_TRUSTED_PROXIES: '127.0.0.1',
      },
    },
  ],
});
