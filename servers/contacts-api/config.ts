// The contacts API's settings, read once from the environment on top of the shared local
// ports and URLs (../local-env.ts). Fails loudly, naming the variable.
import path from 'node:path';
import { type LocalEnv, readLocalEnv } from '../local-env.ts';
import { DEFAULT_PAGE_CACHE_BYTES } from './page-cache.ts';

export interface ApiConfig {
  port: number;
  /** Public base URL; by default also the resource identifier tokens must be meant for. */
  url: string;
  /** API_RESOURCE; default the base URL. */
  resource: string;
  /** TRUSTED_ISSUERS (comma-separated); default the local test IdP. */
  trustedIssuers: string[];
  /** CORS_ORIGINS (comma-separated); default the local SPA. */
  corsOrigins: string[];
  /** CONTACTS_DB; default <DATA_DIR>/contacts.sqlite. */
  databaseFile: string;
  /** SEED_SCALE_CONTACTS=<username>: give that demo user 10,000 generated contacts. */
  scaleSeedUsername: string | undefined;
  /** API_WORKERS: HTTP processes (node:cluster) sharing the port and the file; default 1. */
  workers: number;
  /** API_PAGE_CACHE_MB: bound of each process's page cache; default 32, 0 turns it off. */
  pageCacheBytes: number;
  local: LocalEnv;
}

function workerCount(env: NodeJS.ProcessEnv): number {
  const raw = env.API_WORKERS?.trim();
  if (!raw) return 1;
  const count = /^[1-9][0-9]?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(count >= 1 && count <= 64)) {
    throw new Error(`API_WORKERS must be a whole number from 1 to 64, got "${raw}"`);
  }
  return count;
}

function pageCacheBytes(env: NodeJS.ProcessEnv): number {
  const raw = env.API_PAGE_CACHE_MB?.trim();
  if (!raw) return DEFAULT_PAGE_CACHE_BYTES;
  if (!/^[0-9]{1,5}$/.test(raw)) {
    throw new Error(`API_PAGE_CACHE_MB must be a whole number of megabytes, got "${raw}"`);
  }
  return Number(raw) * 1024 * 1024;
}

function list(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const values = raw
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  for (const value of values) {
    if (!URL.canParse(value) || new URL(value).origin === 'null') {
      throw new Error(`${name} must be a comma-separated list of URLs, got "${value}"`);
    }
  }
  return values;
}

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const local = readLocalEnv(env);
  const corsOrigins = list(env, 'CORS_ORIGINS', [local.spaOrigin]);
  for (const origin of corsOrigins) {
    // An origin is scheme://host[:port], nothing more: anything else would never match.
    if (new URL(origin).origin !== origin) {
      throw new Error(`CORS_ORIGINS entries must be bare origins, got "${origin}"`);
    }
  }
  return {
    port: local.apiPort,
    url: local.apiUrl,
    resource: env.API_RESOURCE?.trim() || local.apiUrl,
    trustedIssuers: list(env, 'TRUSTED_ISSUERS', [local.idpIssuer]),
    corsOrigins,
    databaseFile: path.resolve(
      env.CONTACTS_DB?.trim() || path.join(local.dataDir, 'contacts.sqlite'),
    ),
    scaleSeedUsername: env.SEED_SCALE_CONTACTS?.trim() || undefined,
    workers: workerCount(env),
    pageCacheBytes: pageCacheBytes(env),
    local,
  };
}
