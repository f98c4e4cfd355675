// Wires the whole API from plain settings: database, stores, verifier (one discovered JWKS
// per trusted issuer, behind the verified-token cache) and HTTP. main.ts runs it with the
// environment's settings; the integration tests run it on port 0 with a temp file or a
// database of their own.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { LogDestination } from '../shared/request-log.ts';
import { buildApp } from './app.ts';
import { REPLAY_RETENTION_MS } from './authorize.ts';
import {
  createDiscoveredJwks,
  type DiscoveredJwks,
  type DiscoveryOptions,
} from './discover-jwks.ts';
import { createInProcessReplayCache, type ReplayCache } from './dpop-replay-cache.ts';
import type { IssuerProfile } from './issuer-profiles.ts';
import { createPageCache, type PageCache } from './page-cache.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limits.ts';
import { openRedis, type RedisSettings } from './redis-connection.ts';
import { createRedisReplayCache } from './redis-replay-cache.ts';
import { openStore } from './store/open-store.ts';
import type { ContactStore, StoreQuotas } from './store/store.ts';
import { withTokenCache } from './token-cache.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

export interface ApiSettings {
  /** The SQLite file, used when there is no `databaseUrl`. */
  databaseFile: string;
  /** DATABASE_URL: postgres://… puts the contacts on PostgreSQL (store/postgres-store.ts). */
  databaseUrl?: string;
  /** PostgreSQL connections of this process; default 10. */
  databasePoolSize?: number;
  /** DATABASE_TIMEOUT_MS: PostgreSQL connect, statement and query timeouts; default 5 s. */
  databaseTimeoutMs?: number;
  trustedIssuers: readonly string[];
  /** Each issuer's token profile, audience and scope names (ISSUER_PROFILES); default RFC 9068. */
  issuerProfiles?: ReadonlyMap<string, IssuerProfile>;
  resource: string;
  corsOrigins: readonly string[];
  publicUrl: string;
  port: number;
  host?: string;
  discovery?: DiscoveryOptions;
  logger?: { error(message: string): void };
  /** JSON request lines go here (main.ts: stdout); default none. */
  requestLog?: LogDestination;
  /** DPOP_NONCE_SECRET: shared by every worker so each accepts the others' nonces. */
  dpopNonceSecret?: string;
  /** REDIS_URL and co.: the DPoP replay cache in Redis, shared; default this process's memory. */
  redis?: RedisSettings;
  /** DPOP_PROOFS_PER_MINUTE: new DPoP proofs one user may use per minute; default 600. */
  dpopProofsPerMinute?: number;
  /** Bound of each process's page cache in bytes (API_PAGE_CACHE_MB); 0 turns it off. */
  pageCacheBytes?: number;
  /** API_RATE_LIMIT_*: per user and per address; default DEFAULT_RATE_LIMITS. */
  rateLimits?: RateLimitSettings;
  /** API_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client; default none. */
  trustedProxies?: readonly string[];
  /** Per-user bounds (API_MAX_CONTACTS_PER_USER…); default DEFAULT_QUOTAS. */
  quotas?: StoreQuotas;
  /** Runs after migrations, before listening (demo and scale seeds). */
  seed?: (store: ContactStore) => Promise<unknown>;
}

export interface RunningApi {
  app: FastifyInstance;
  store: ContactStore;
  pageCache: PageCache;
  /** http://host:port actually bound. */
  url: string;
  close(): Promise<void>;
}

export async function startContactsApi(settings: ApiSettings): Promise<RunningApi> {
  // Redis first: a Redis that would be refused stops the start before any data is touched.
  const redis = settings.redis ? await openRedis(settings.redis) : undefined;
  let store: ContactStore;
  try {
    store = await openStore(settings);
  } catch (err) {
    redis?.disconnect();
    throw err;
  }
  try {
    let replayCache: ReplayCache;
    const proofsPerMinute = settings.dpopProofsPerMinute;
    if (redis) {
      const shared = createRedisReplayCache({
        redis,
        retentionMs: REPLAY_RETENTION_MS,
        proofsPerMinute,
      });
      await shared.refreshEpoch();
      // Each MULTI reads the epoch too; this only learns of a lost one before the next proof.
      redis.on('ready', () => shared.refreshEpoch().catch(() => undefined));
      replayCache = shared;
    } else {
      replayCache = createInProcessReplayCache({
        retentionMs: REPLAY_RETENTION_MS,
        proofsPerMinute,
      });
    }
    await settings.seed?.(store);
    const issuers = settings.trustedIssuers.map((issuer) => ({
      issuer,
      getKey: createDiscoveredJwks(issuer, settings.discovery),
      ...settings.issuerProfiles?.get(issuer),
    }));
    const verifier = createAccessTokenVerifier({ issuers, audience: settings.resource });
    const pageCache = createPageCache(settings.pageCacheBytes);
    const app = await buildApp({
      store,
      verifier: withTokenCache(verifier),
      publicUrl: settings.publicUrl,
      corsOrigins: settings.corsOrigins,
      dpopNonceSecret: settings.dpopNonceSecret,
      replayCache,
      pageCache,
      logger: settings.logger,
      requestLog: settings.requestLog,
      readiness: () => readinessProblems(store, issuers, redis),
      // Several processes share one Redis: the limits are per user and address, not per process.
      rateLimits: redis
        ? { ...(settings.rateLimits ?? DEFAULT_RATE_LIMITS), redis }
        : settings.rateLimits,
      trustedProxies: settings.trustedProxies,
    });
    const host = settings.host ?? 'localhost';
    await app.listen({ port: settings.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      pageCache,
      url: `http://${host}:${port}`,
      close: () => {
        // Once: stops accepting, waits for in-flight requests, then closes the database.
        closing ??= app
          .close()
          .then(() => redis?.quit().catch(() => undefined))
          .then(() => store.close());
        return closing;
      },
    };
  } catch (err) {
    redis?.disconnect();
    await store.close();
    throw err;
  }
}

/** What keeps the API from serving: one reason per failed check, none when ready. */
async function readinessProblems(
  store: ContactStore,
  issuers: readonly { issuer: string; getKey: DiscoveredJwks }[],
  redis: Redis | undefined,
): Promise<string[]> {
  const reasons: string[] = [];
  try {
    await store.ping();
  } catch (err) {
    reasons.push(`database: ${(err as Error).message}`);
  }
  try {
    await redis?.ping();
  } catch (err) {
    reasons.push(`redis: ${(err as Error).message}`);
  }
  await Promise.all(
    issuers.map(({ issuer, getKey }) =>
      getKey.loaded().catch((err: Error) => {
        const code = (err as { code?: unknown }).code;
        reasons.push(
          `keys of ${issuer} not loaded: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}`,
        );
      }),
    ),
  );
  return reasons;
}
