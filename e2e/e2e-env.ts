// Ports, URLs and the data folder of the e2e run. Distinct from `npm start`'s defaults so
// tests can run while the app is up. Shared by playwright.config.ts and the fixtures.
// Also: the test IdP's per-run control secret, and the external-provider mode.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLocalEnv } from '../servers/local-env.ts';

// Set once in the runner; its workers inherit the environment, so all share one value.
// IMPORTANT: the secret goes to the IdP process and to Node-side fixtures, never to a page.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'oidc-contacts-e2e-'));
process.env.E2E_IDP_TEST_SECRET ??= randomBytes(32).toString('base64url');

const local = {
  IDP_PORT: process.env.E2E_IDP_PORT ?? '4100',
  API_PORT: process.env.E2E_API_PORT ?? '4101',
  SPA_PORT: process.env.E2E_SPA_PORT ?? '5273',
};
const localIssuer = `http://localhost:${local.IDP_PORT}`;

/**
 * External-provider mode: E2E_PROVIDER_ISSUER names another OpenID Provider. Only the specs
 * tagged @any-provider run, as the account given below; the local IdP runs (without test
 * controls) only when that issuer is the local one, as a stand-in.
 */
const external = process.env.E2E_PROVIDER_ISSUER;
const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required when E2E_PROVIDER_ISSUER is set`);
  return value;
};

function providerSettings(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('E2E_PROVIDER_SETTINGS must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export const provider = external
  ? {
      external: true as const,
      issuer: external,
      clientId: required('E2E_PROVIDER_CLIENT_ID'),
      scopes: (process.env.E2E_PROVIDER_SCOPES ?? 'openid profile email contacts:read').split(' '),
      account: {
        username: required('E2E_PROVIDER_USERNAME'),
        password: required('E2E_PROVIDER_PASSWORD'),
        /** Shown by the app as "Signed in as <name>". */
        name: required('E2E_PROVIDER_DISPLAY_NAME'),
      },
      /** E2E_PROVIDER_DPOP=1: the provider supports DPoP (RFC 9449), and the SPA uses it. */
      dpop: process.env.E2E_PROVIDER_DPOP === '1',
      /**
       * E2E_PROVIDER_SETTINGS: more of this provider's runtime-config settings, as JSON
       * (`{"reauthentication":"prompt=login","logout":{"request":"id_token_hint"}}`).
       */
      settings: providerSettings(process.env.E2E_PROVIDER_SETTINGS),
      /**
       * E2E_PROVIDER_PAGES=glewlwyd: the provider's pages are a kind the suite knows
       * (e2e/glewlwyd/glewlwyd-pages.ts), instead of a login form found by the selectors.
       */
      pages: process.env.E2E_PROVIDER_PAGES === 'glewlwyd' ? ('glewlwyd' as const) : undefined,
      /** CSS selectors of the provider's login form (and consent button, if it asks). */
      selectors: {
        username: process.env.E2E_LOGIN_USERNAME_SELECTOR ?? '#username',
        password: process.env.E2E_LOGIN_PASSWORD_SELECTOR ?? '#password',
        submit: process.env.E2E_LOGIN_SUBMIT_SELECTOR ?? '[type=submit]',
        consent: process.env.E2E_CONSENT_ALLOW_SELECTOR,
      },
      startLocalIdp: external === localIssuer,
    }
  : { external: false as const, issuer: localIssuer, clientId: 'contacts-spa' };

export const serverEnv = {
  ...local,
  DATA_DIR: process.env.E2E_DATA_DIR,
  // Short lifetimes so renewal is exercised without waiting long.
  ACCESS_TOKEN_TTL: process.env.E2E_ACCESS_TOKEN_TTL ?? '120',
  IDP_TEST_MODE: provider.external ? '0' : '1',
  // The local SPA client must bind its tokens with DPoP (the second IdP shows one that doesn't).
  IDP_REQUIRE_DPOP: provider.external ? '0' : '1',
  // Also the client `contacts-spa-no-refresh`: renewal by a prompt=none iframe.
  IDP_NO_REFRESH_CLIENT: provider.external ? '0' : '1',
  // The SPA server lists the CSP violations it was sent (GET /csp-reports) for the specs.
  SPA_EXPOSE_CSP_REPORTS: '1',
  // Trusted Types are enforced outside tests; enforcing breaks Playwright's clock emulation,
  // so here they only report (security-page.spec.ts asserts a journey reports none).
  SPA_TRUSTED_TYPES: 'report-only',
  ...(provider.external ? {} : { IDP_TEST_SECRET: process.env.E2E_IDP_TEST_SECRET }),
};

export const e2eEnv = readLocalEnv(serverEnv);

/**
 * A second local OpenID Provider, for the several-providers journeys: same seeded users
 * (so equal `sub` values), another issuer, its own keys, cookies and data folder, and its
 * own names for the contacts scopes (as Auth0 names them), so the SPA's and the API's
 * per-provider mappings are exercised end to end. It is
 * addressed as 127.0.0.1, another site than the SPA on localhost (as a real IdP on its own
 * domain is), so its cookies never reach a hidden iframe of the SPA. Test controls on, with
 * the run's secret (`idpControl(secondIdp.issuer)` in the fixtures).
 */
export const secondIdp = (() => {
  const port = process.env.E2E_IDP2_PORT ?? '4102';
  const issuer = `http://127.0.0.1:${port}`;
  const contactsScopes = { read: 'read:contacts', write: 'write:contacts' };
  return {
    issuer,
    label: 'Second test IdP',
    contactsScopes,
    env: {
      ...serverEnv,
      IDP_PORT: port,
      IDP_HOST: '127.0.0.1',
      IDP_REQUIRE_DPOP: '0',
      IDP_COOKIE_SUFFIX: '_second',
      IDP_CONTACTS_SCOPES: `${contactsScopes.read} ${contactsScopes.write}`,
      DATA_DIR: path.join(e2eEnv.dataDir, 'second-idp'),
    },
  };
})();
export const spaConfigPath = path.join(e2eEnv.dataDir, 'spa-config.json');
