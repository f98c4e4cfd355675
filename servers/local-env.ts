// The one place where the local processes (IdP, contacts API, SPA server, launcher, e2e)
// learn their ports, public URLs and listen addresses. Read once from the environment, with
// defaults (localhost), each bad value named in the error (shared/public-urls.ts).
import path from 'node:path';
import { isLoopbackHost, listenHostFromEnv, originFromEnv } from './shared/public-urls.ts';

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive whole number of seconds, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name] ?? '';
  if (raw !== '' && raw !== '0' && raw !== '1') {
    throw new Error(`${name} must be 1 (on) or 0 (off), got "${raw}"`);
  }
  return raw === '1';
}

export interface LocalEnv {
  /**
   * NODE_ENV=production: no demo seed, no test IdP, no test-only switch, https public URLs
   * (except localhost). Each server refuses what it must not do, naming the setting.
   */
  production: boolean;
  idpPort: number;
  apiPort: number;
  spaPort: number;
  /**
   * IDP_ISSUER: issuer of the test IdP, exactly as it appears in tokens and discovery (its
   * public URL; default http://<IDP_HOST if loopback, else localhost>:<IDP_PORT>).
   */
  idpIssuer: string;
  /**
   * API_PUBLIC_URL: the contacts API's public origin (default http://localhost:<API_PORT>).
   * Also its resource identifier (token audience) unless API_RESOURCE says otherwise, and
   * the origin every DPoP proof's `htu` must name: never taken from a request's headers.
   */
  apiUrl: string;
  /** API_HOST: where the API listens (default localhost). */
  apiHost: string;
  /** SPA_PUBLIC_URL: the app's origin: redirect URIs, CORS, CSP (default http://localhost:<SPA_PORT>). */
  spaOrigin: string;
  /** SPA_HOST: where the SPA server listens (default localhost). */
  spaHost: string;
  /** Folder for the SQLite file and the IdP's signing keys (git-ignored). */
  dataDir: string;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  sessionTtl: number;
  /**
   * REQUEST_LOG=0 turns the servers' JSON request lines off (`npm start` does, to keep its
   * terminal readable); default on.
   */
  requestLog: boolean;
  /** IDP_TEST_MODE=1: the IdP offers its QA test controls (never in a shared deployment). */
  idpTestMode: boolean;
  /**
   * IDP_REQUIRE_DPOP=1: the SPA client must bind its tokens with DPoP (client metadata
   * `dpop_bound_access_tokens`); without it DPoP is still accepted, just not required.
   */
  idpRequireDpop: boolean;
  /** IDP_TEST_SECRET: the test controls' secret; generated at start when absent. */
  idpTestSecret: string | undefined;
  /**
   * IDP_COOKIE_SUFFIX: appended to the IdP's cookie names. Cookies ignore ports, so two
   * IdPs on localhost would otherwise overwrite each other's sessions.
   */
  idpCookieSuffix: string;
  /**
   * IDP_HOST (default localhost): where the IdP listens, and (when IDP_ISSUER is unset and
   * it is localhost or 127.0.0.1) the host of its issuer. As 127.0.0.1 it is another site
   * than the SPA on localhost, as a real IdP on its own domain is: its cookies do not reach
   * a hidden iframe.
   */
  idpHost: string;
  /**
   * IDP_NO_REFRESH_CLIENT=1: also registers the SPA as client `contacts-spa-no-refresh`,
   * without the refresh_token grant (renewal by a prompt=none iframe), for tests.
   */
  idpNoRefreshClient: boolean;
  /**
   * IDP_CONTACTS_SCOPES="<read> <write>": the IdP's names for the contacts API's two scopes
   * (default contacts:read contacts:write), to stand in for a provider with its own.
   */
  idpContactsScopes: { 'contacts:read': string; 'contacts:write': string };
}

/** Two scope names (RFC 6749 scope tokens), reading first, then writing. */
function contactsScopes(env: NodeJS.ProcessEnv): LocalEnv['idpContactsScopes'] {
  const raw = env.IDP_CONTACTS_SCOPES?.trim();
  if (!raw) return { 'contacts:read': 'contacts:read', 'contacts:write': 'contacts:write' };
  const names = raw.split(/\s+/);
  const [read, write] = names;
  const token = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
  if (
    names.length !== 2 ||
    !read ||
    !write ||
    read === write ||
    !token.test(read) ||
    !token.test(write)
  ) {
    throw new Error(
      `IDP_CONTACTS_SCOPES must be two scope names, reading then writing, got "${raw}"`,
    );
  }
  return { 'contacts:read': read, 'contacts:write': write };
}

export function readLocalEnv(env: NodeJS.ProcessEnv = process.env): LocalEnv {
  const idpPort = port(env, 'IDP_PORT', 4000);
  const apiPort = port(env, 'API_PORT', 4001);
  const spaPort = port(env, 'SPA_PORT', 5173);
  const production = env.NODE_ENV === 'production';
  const rules = { production };
  const idpHost = listenHostFromEnv(env, 'IDP_HOST', 'localhost');
  const issuerHost = isLoopbackHost(idpHost) ? idpHost : 'localhost';
  return {
    production,
    idpPort,
    apiPort,
    spaPort,
    idpIssuer: originFromEnv(env, 'IDP_ISSUER', `http://${issuerHost}:${idpPort}`, rules),
    apiUrl: originFromEnv(env, 'API_PUBLIC_URL', `http://localhost:${apiPort}`, rules),
    apiHost: listenHostFromEnv(env, 'API_HOST', 'localhost'),
    spaOrigin: originFromEnv(env, 'SPA_PUBLIC_URL', `http://localhost:${spaPort}`, rules),
    spaHost: listenHostFromEnv(env, 'SPA_HOST', 'localhost'),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    accessTokenTtl: seconds(env, 'ACCESS_TOKEN_TTL', 300),
    idTokenTtl: seconds(env, 'ID_TOKEN_TTL', 3600),
    refreshTokenTtl: seconds(env, 'REFRESH_TOKEN_TTL', 8 * 3600),
    sessionTtl: seconds(env, 'SESSION_TTL', 8 * 3600),
    requestLog: env.REQUEST_LOG === undefined || env.REQUEST_LOG === '' || flag(env, 'REQUEST_LOG'),
    idpTestMode: flag(env, 'IDP_TEST_MODE'),
    idpRequireDpop: flag(env, 'IDP_REQUIRE_DPOP'),
    idpTestSecret: env.IDP_TEST_SECRET || undefined,
    idpCookieSuffix: cookieSuffix(env.IDP_COOKIE_SUFFIX),
    idpHost,
    idpNoRefreshClient: flag(env, 'IDP_NO_REFRESH_CLIENT'),
    idpContactsScopes: contactsScopes(env),
  };
}

function cookieSuffix(raw: string | undefined): string {
  if (!raw) return '';
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(raw)) {
    throw new Error(`IDP_COOKIE_SUFFIX must be 1-16 letters, digits, "_" or "-", got "${raw}"`);
  }
  return raw;
}
