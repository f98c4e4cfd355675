// The contacts API's settings, read once from the environment on top of the shared local
// ports and URLs (../local-env.ts). Fails loudly, naming the variable.
import path from 'node:path';
import { type LocalEnv, readLocalEnv } from '../local-env.ts';
import { isLoopbackHost } from '../shared/public-urls.ts';
import { readTrustedProxies } from '../shared/trusted-proxies.ts';
import { type IssuerProfile, readIssuerProfiles } from './issuer-profiles.ts';
import { DEFAULT_PAGE_CACHE_BYTES } from './page-cache.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limits.ts';
import { DEFAULT_DATABASE_TIMEOUT_MS } from './store/postgres-store.ts';
import { DEFAULT_QUOTAS, type StoreQuotas } from './store/store.ts';

export interface ApiConfig {
  port: number;
  /** API_HOST: where it listens. */
  host: string;
  /** API_PUBLIC_URL: public origin; by default also the resource identifier tokens must be meant for. */
  url: string;
  /** API_RESOURCE; default the base URL. */
  resource: string;
  /** TRUSTED_ISSUERS (comma-separated); default the local test IdP. */
  trustedIssuers: string[];
  /** ISSUER_PROFILES (JSON): each issuer's token profile, audience and scope names. */
  issuerProfiles: Map<string, IssuerProfile>;
  /** CORS_ORIGINS (comma-separated); default the local SPA. */
  corsOrigins: string[];
  /** CONTACTS_DB; default <DATA_DIR>/contacts.sqlite. Used when there is no DATABASE_URL. */
  databaseFile: string;
  /** DATABASE_URL (postgres://…): the contacts on PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined;
  /** DATABASE_POOL_SIZE: PostgreSQL connections per process; default 10. */
  databasePoolSize: number | undefined;
  /**
   * DATABASE_TIMEOUT_MS: the longest PostgreSQL may take to connect or answer a statement
   * before the request gets 503 with Retry-After; default 5000.
   */
  databaseTimeoutMs: number;
  /** SEED_SCALE_CONTACTS=<username>: give that demo user 10,000 generated contacts. */
  scaleSeedUsername: string | undefined;
  /** API_WORKERS: HTTP processes (node:cluster) sharing the port and the file; default 1. */
  workers: number;
  /** API_PAGE_CACHE_MB: bound of each process's page cache; default 32, 0 turns it off. */
  pageCacheBytes: number;
  /** DPOP_NONCE_SECRET: key of the DPoP nonces; default random per start (per primary with workers). */
  dpopNonceSecret: string | undefined;
  /** REDIS_URL (redis:// or rediss://): the DPoP replay cache shared by every API process. */
  redisUrl: string | undefined;
  /** REDIS_KEY_PREFIX: every key this API writes starts with it; default `contacts-api:`. */
  redisKeyPrefix: string;
  /**
   * REDIS_NOEVICTION_CONFIRMED=1: the operator vouches for `maxmemory-policy noeviction` on a
   * managed Redis that refuses CONFIG GET. A policy Redis does report is still checked.
   */
  redisNoEvictionConfirmed: boolean;
  /** DPOP_PROOFS_PER_MINUTE: new DPoP proofs one user may use per minute; default 600. */
  dpopProofsPerMinute: number;
  /** API_MAX_CONTACTS_PER_USER (default 50,000), API_MAX_IDEMPOTENCY_KEYS_PER_USER (10,000). */
  quotas: StoreQuotas;
  /** API_RATE_LIMIT_PER_USER (600), API_RATE_LIMIT_PER_ADDRESS (3000), API_RATE_LIMIT_WINDOW_SECONDS (60). */
  rateLimits: RateLimitSettings;
  /** API_TRUSTED_PROXIES (comma-separated addresses or CIDR ranges); default none. */
  trustedProxies: string[];
  /** The demo contacts at start: never in production. */
  seedDemo: boolean;
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

/** A whole number of at least `min`, or `fallback` when unset. */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min = 1,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min)) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return undefined;
  // The value may hold a password: never echo it.
  if (!URL.canParse(raw) || !/^postgres(ql)?:$/.test(new URL(raw).protocol)) {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return raw;
}

function databasePoolSize(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.DATABASE_POOL_SIZE?.trim();
  if (!raw) return undefined;
  if (!/^[1-9][0-9]{0,2}$/.test(raw)) {
    throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 999, got "${raw}"`);
  }
  return Number(raw);
}

function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return undefined;
  // The value may hold a password: never echo it.
  if (!URL.canParse(raw) || !/^rediss?:$/.test(new URL(raw).protocol)) {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return raw;
}

function redisKeyPrefix(env: NodeJS.ProcessEnv): string {
  const raw = env.REDIS_KEY_PREFIX;
  if (raw === undefined || raw === '') return 'contacts-api:';
  if (!/^[A-Za-z0-9:._-]{1,64}$/.test(raw)) {
    throw new Error(
      `REDIS_KEY_PREFIX must be 1 to 64 letters, digits or ":._-", got "${raw.slice(0, 80)}"`,
    );
  }
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim();
  if (!raw || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${name} must be 1, true, 0 or false, got "${raw}"`);
}

function dpopProofsPerMinute(env: NodeJS.ProcessEnv): number {
  const raw = env.DPOP_PROOFS_PER_MINUTE?.trim();
  if (!raw) return 600;
  if (!/^[1-9][0-9]{0,6}$/.test(raw)) {
    throw new Error(`DPOP_PROOFS_PER_MINUTE must be a whole number from 1, got "${raw}"`);
  }
  return Number(raw);
}

/**
 * The rule for security state (the DPoP replay cache): per process only when exactly one API
 * process exists; a replay sent to a process that never saw the proof would pass. Several
 * workers certainly are several processes. A PostgreSQL database is what replicas share, so
 * with DATABASE_URL the operator says which it is: REDIS_URL, or API_SINGLE_PROCESS=1. The
 * SQLite file (the default) belongs to one host, so one worker there is one process.
 */
function checkSharedState(env: NodeJS.ProcessEnv, config: ApiConfig): void {
  if (config.redisUrl) return;
  const singleProcess = flag(env, 'API_SINGLE_PROCESS');
  if (config.workers > 1) {
    throw new Error(
      `REDIS_URL must be set when API_WORKERS is more than 1: each process would keep its own DPoP replay cache${singleProcess ? ' (API_SINGLE_PROCESS cannot be true with several workers)' : ''}`,
    );
  }
  if (config.databaseUrl && !singleProcess) {
    throw new Error(
      'REDIS_URL must be set with DATABASE_URL (replicas share the DPoP replay cache there), or API_SINGLE_PROCESS=1 when this is the only API process',
    );
  }
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

/** `serving: false` for command-line tools on the same settings: they keep no security state. */
export function readApiConfig(
  env: NodeJS.ProcessEnv = process.env,
  { serving = true } = {},
): ApiConfig {
  const local = readLocalEnv(env);
  const corsOrigins = list(env, 'CORS_ORIGINS', [local.spaOrigin]);
  for (const origin of corsOrigins) {
    // An origin is scheme://host[:port], nothing more: anything else would never match.
    if (new URL(origin).origin !== origin) {
      throw new Error(`CORS_ORIGINS entries must be bare origins, got "${origin}"`);
    }
  }
  const trustedIssuers = list(env, 'TRUSTED_ISSUERS', [local.idpIssuer]);
  const config: ApiConfig = {
    port: local.apiPort,
    host: local.apiHost,
    url: local.apiUrl,
    resource: env.API_RESOURCE?.trim() || local.apiUrl,
    trustedIssuers,
    issuerProfiles: readIssuerProfiles(env.ISSUER_PROFILES, trustedIssuers),
    corsOrigins,
    databaseFile: path.resolve(
      env.CONTACTS_DB?.trim() || path.join(local.dataDir, 'contacts.sqlite'),
    ),
    databaseUrl: databaseUrl(env),
    databasePoolSize: databasePoolSize(env),
    databaseTimeoutMs: wholeNumber(env, 'DATABASE_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUT_MS, 100),
    scaleSeedUsername: env.SEED_SCALE_CONTACTS?.trim() || undefined,
    workers: workerCount(env),
    pageCacheBytes: pageCacheBytes(env),
    dpopNonceSecret: env.DPOP_NONCE_SECRET || undefined,
    redisUrl: redisUrl(env),
    redisKeyPrefix: redisKeyPrefix(env),
    redisNoEvictionConfirmed: flag(env, 'REDIS_NOEVICTION_CONFIRMED'),
    dpopProofsPerMinute: dpopProofsPerMinute(env),
    quotas: {
      contacts: wholeNumber(env, 'API_MAX_CONTACTS_PER_USER', DEFAULT_QUOTAS.contacts),
      idempotencyKeys: wholeNumber(
        env,
        'API_MAX_IDEMPOTENCY_KEYS_PER_USER',
        DEFAULT_QUOTAS.idempotencyKeys,
      ),
    },
    rateLimits: {
      perUser: wholeNumber(env, 'API_RATE_LIMIT_PER_USER', DEFAULT_RATE_LIMITS.perUser, 0),
      perAddress: wholeNumber(env, 'API_RATE_LIMIT_PER_ADDRESS', DEFAULT_RATE_LIMITS.perAddress, 0),
      windowSeconds: wholeNumber(
        env,
        'API_RATE_LIMIT_WINDOW_SECONDS',
        DEFAULT_RATE_LIMITS.windowSeconds,
      ),
    },
    trustedProxies: readTrustedProxies(env, 'API_TRUSTED_PROXIES'),
    seedDemo: !local.production,
    local,
  };
  if (local.production) refuseInProduction(env, config);
  if (serving) checkSharedState(env, config);
  return config;
}

/**
 * NODE_ENV=production: what only makes sense on a developer's machine or in tests stops the
 * API at start, naming the setting, instead of running a half-demo in front of real users.
 */
function refuseInProduction(env: NodeJS.ProcessEnv, config: ApiConfig): void {
  const why = 'in production (NODE_ENV=production)';
  if (!env.TRUSTED_ISSUERS?.trim()) {
    throw new Error(
      `TRUSTED_ISSUERS must name your provider's issuer ${why}; the default is the local test IdP`,
    );
  }
  for (const [name, values] of [
    ['TRUSTED_ISSUERS', config.trustedIssuers],
    ['CORS_ORIGINS', config.corsOrigins],
  ] as const) {
    const plain = values.find((value) => {
      const url = new URL(value);
      return url.protocol !== 'https:' && !isLoopbackHost(url.hostname);
    });
    if (plain)
      throw new Error(`${name} must be https ${why}, except for localhost; got "${plain}"`);
  }
  if (config.scaleSeedUsername) {
    throw new Error(`SEED_SCALE_CONTACTS (demo data) is refused ${why}`);
  }
  if (config.workers > 1 && !config.dpopNonceSecret) {
    // Each process would make its own, and a nonce from one would fail at the others.
    throw new Error(
      `DPOP_NONCE_SECRET must be set ${why} when API_WORKERS is more than 1 (every process must share it)`,
    );
  }
}
