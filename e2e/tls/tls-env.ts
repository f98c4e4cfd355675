// The tls e2e environment: three public hostnames over HTTPS on one nginx, each proxied to
// its server on loopback, with their own ports and data folder (apart from the core run's).
// Shared by playwright.tls.config.ts, its global setup and the specs; set once in the
// runner, inherited by the workers through the environment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.E2E_TLS_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'oidc-contacts-e2e-tls-'));

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const tlsPort = port('E2E_TLS_PORT', 8443);
export const hostnames = {
  app: 'app.contacts.test',
  api: 'api.contacts.test',
  // Another site than the app's, as a real provider is.
  idp: 'login.idp.test',
} as const;
export const upstream = {
  spa: port('E2E_TLS_SPA_PORT', 5373),
  api: port('E2E_TLS_API_PORT', 4201),
  idp: port('E2E_TLS_IDP_PORT', 4200),
};
const publicUrl = (host: string) => `https://${host}${tlsPort === 443 ? '' : `:${tlsPort}`}`;
export const tlsUrls = {
  app: publicUrl(hostnames.app),
  api: publicUrl(hostnames.api),
  idp: publicUrl(hostnames.idp),
};
export const tlsDataDir = process.env.E2E_TLS_DATA_DIR;
/** Each server's stdout and stderr, and nginx's logs: what the log-leak spec reads. */
export const logFiles = {
  idp: path.join(tlsDataDir, 'idp.log'),
  api: path.join(tlsDataDir, 'api.log'),
  spa: path.join(tlsDataDir, 'spa.log'),
  nginxAccess: path.join(tlsDataDir, 'nginx', 'access.log'),
  nginxError: path.join(tlsDataDir, 'nginx', 'error.log'),
};
/** Access tokens live this long: the journey sees renewals without any clock tricks. */
export const ACCESS_TOKEN_TTL_SECONDS = 10;
