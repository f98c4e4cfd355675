// The API's one Redis connection (ioredis), for what every API process must share: the DPoP
// replay cache. Opened at start, where a Redis that could evict replay keys is refused.
import { Redis } from 'ioredis';

export interface RedisSettings {
  /** REDIS_URL: redis:// or rediss://; may hold a password, so it is never echoed. */
  url: string;
  /** REDIS_KEY_PREFIX: ioredis puts it before every key this API reads or writes. */
  keyPrefix: string;
  /** REDIS_NOEVICTION_CONFIRMED: vouches for noeviction where CONFIG GET is refused. */
  noEvictionConfirmed?: boolean;
}

/** Connects, checks the eviction policy, and hands over a ready client; one line on failure. */
export async function openRedis(settings: RedisSettings): Promise<Redis> {
  const { hostname, port } = new URL(settings.url);
  const redis = new Redis(settings.url, {
    keyPrefix: settings.keyPrefix,
    // Commands issued in the same tick (many requests' rate-limit counters and replay keys
    // under load) go out in one write: fewer syscalls per request on both sides.
    enableAutoPipelining: true,
    // IMPORTANT: a command while disconnected fails at once (the request gets 503) instead of
    // waiting in a queue while the client's request hangs.
    enableOfflineQueue: false,
    lazyConnect: true,
    connectTimeout: 2_000, // default 10 s
    commandTimeout: 1_000, // default none: a stalled Redis would stall every DPoP request
    maxRetriesPerRequest: 0, // default 20; with no offline queue nothing waits to be retried
    // Reconnects forever (default too), at most every 2 s: the API recovers by itself.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Without a listener an 'error' event would end the process; outages surface per request
  // (503) and in GET /ready instead.
  let lastError: NodeJS.ErrnoException | undefined;
  redis.on('error', (err: NodeJS.ErrnoException) => {
    lastError = err;
  });
  try {
    await redis.connect().catch((err: Error) => {
      // ioredis rejects with "Connection is closed."; the socket's error says why.
      const why = lastError?.code ?? lastError?.message ?? err.message;
      throw new Error(`not reachable (${why})`, { cause: lastError ?? err });
    });
    await checkNoEviction(redis, settings.noEvictionConfirmed ?? false);
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `REDIS_URL: Redis at ${hostname || 'localhost'}:${port || 6379}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return redis;
}

/**
 * Replay keys must survive until they expire: a Redis that evicts under memory pressure
 * (allkeys-* or volatile-*, and every replay key has a TTL) would silently forget proofs,
 * and a forgotten proof can be replayed. Only `noeviction` keeps them: a full Redis then
 * refuses writes, and the API answers 503 instead of accepting unchecked proofs.
 */
export async function checkNoEviction(redis: Redis, confirmed: boolean): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
    policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
  } catch (err) {
    if (confirmed) return;
    throw new Error(
      `CONFIG GET maxmemory-policy was refused (${(err as Error).message}); DPoP replay keys need maxmemory-policy noeviction: once it is so, set REDIS_NOEVICTION_CONFIRMED=1`,
    );
  }
  if (policy === 'noeviction' || (policy === undefined && confirmed)) return;
  // Also when confirmed: a policy Redis does report outranks what the operator believed.
  throw new Error(
    `maxmemory-policy is ${policy ?? 'not reported'}, which may evict DPoP replay keys: set it to noeviction (or give the API a Redis of its own)`,
  );
}
