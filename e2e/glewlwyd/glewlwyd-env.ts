// The glewlwyd e2e environments (glewlwyd-dpop, glewlwyd-bearer in scripts/run-e2e.ts): the
// suite's external-provider mode (e2e/e2e-env.ts) pointed at a Glewlwyd of the run's own,
// which its global setup starts and configures (glewlwyd-server.ts). Import this before
// e2e-env.ts: it sets the E2E_PROVIDER_* variables that module reads. Set once in the
// runner (a free port, a data folder); the workers inherit them through the environment.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** E2E_GLEWLWYD_DPOP=1: the SPA binds its tokens with DPoP, and Glewlwyd requires it. */
export const dpop = process.env.E2E_GLEWLWYD_DPOP === '1';
const variant = dpop ? 'dpop' : 'bearer';

process.env.E2E_GLEWLWYD_DATA_DIR ??= mkdtempSync(
  path.join(tmpdir(), `oidc-contacts-e2e-glewlwyd-${variant}-`),
);
process.env.E2E_GLEWLWYD_PORT ??= freePortNow();
export const glewlwydDataDir = process.env.E2E_GLEWLWYD_DATA_DIR;
const port = Number(process.env.E2E_GLEWLWYD_PORT);

// The app and the API on ports of their own, apart from the core run's.
process.env.E2E_API_PORT ??= '4401';
process.env.E2E_SPA_PORT ??= '5573';
process.env.E2E_DATA_DIR ??= path.join(glewlwydDataDir, 'app');
mkdirSync(process.env.E2E_DATA_DIR, { recursive: true });

export const glewlwyd = {
  baseUrl: `http://localhost:${port}`,
  port,
  pluginName: 'oidc',
  issuer: `http://localhost:${port}/api/oidc`,
  clientId: 'contacts-spa',
  apiResource: `http://localhost:${process.env.E2E_API_PORT}`,
  spaOrigin: `http://localhost:${process.env.E2E_SPA_PORT}`,
  requireDpop: dpop,
  // Short: renewed 30 s before expiry (the default margin), so 10 s after each issue.
  accessTokenSeconds: 40,
  user: {
    username: 'qa-user',
    password: 'qa-password-23',
    name: 'QA User',
    email: 'qa-user@example.test',
  },
  scopes: ['profile', 'email', 'contacts:read', 'contacts:write'],
  /** The SPA's settings for this provider (docs/providers.md, "Glewlwyd"). */
  providerSettings: {
    // Its ID tokens say auth_time 0: max_age=0 could never be checked.
    reauthentication: 'prompt=login',
    // It ignores a logout that names the app by client_id, and answers a public client's
    // revocation with 401.
    logout: { request: 'id_token_hint', revocation: false },
  },
} as const;

Object.assign(process.env, {
  E2E_PROVIDER_ISSUER: glewlwyd.issuer,
  E2E_PROVIDER_CLIENT_ID: glewlwyd.clientId,
  E2E_PROVIDER_USERNAME: glewlwyd.user.username,
  E2E_PROVIDER_PASSWORD: glewlwyd.user.password,
  E2E_PROVIDER_DISPLAY_NAME: glewlwyd.user.name,
  E2E_PROVIDER_DPOP: dpop ? '1' : '0',
  E2E_PROVIDER_SETTINGS: JSON.stringify(glewlwyd.providerSettings),
  // Its login app: password form, grant page, "Continue" (glewlwyd-pages.ts).
  E2E_PROVIDER_PAGES: 'glewlwyd',
});

/**
 * A port nothing listens on, found synchronously: no top-level await here, or modules
 * imported after this one (e2e-env.ts) could run before these variables are set.
 */
function freePortNow(): string {
  const script =
    "const s=require('node:net').createServer().listen(0,'localhost',()=>{console.log(s.address().port);s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
