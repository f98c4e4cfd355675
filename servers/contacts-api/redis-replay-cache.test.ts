// The Redis replay cache: the shared contract on the machine's Redis (a key prefix of this
// file's own, every key under it deleted after), the epoch, and the eviction-policy check
// and the reconnect on private redis-servers (never the shared one).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProofUse, ReplayCheckError } from './dpop-replay-cache.ts';
import { deleteKeysWithPrefix, startPrivateRedis } from './private-redis.ts';
import { checkNoEviction, openRedis } from './redis-connection.ts';
import { createRedisReplayCache } from './redis-replay-cache.ts';
import { replayCacheContract } from './replay-cache-contract.ts';

const SHARED = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `contacts-api-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];
let made = 0;

/** A client on the shared Redis under a prefix of its own (below this file's). */
async function sharedClient(prefix?: string): Promise<Redis> {
  made += 1;
  const redis = await openRedis({ url: SHARED, keyPrefix: prefix ?? `${PREFIX}${made}:` });
  clients.push(redis);
  return redis;
}

afterAll(async () => {
  await deleteKeysWithPrefix(SHARED, PREFIX);
  for (const client of clients) client.disconnect();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis replay cache', () => {
  const retentionMs = 400;
  replayCacheContract({
    retentionMs,
    async make(proofsPerMinute) {
      const redis = await sharedClient();
      let offset = 0;
      const now = () => Date.now() + offset;
      const cache = createRedisReplayCache({ redis, retentionMs, proofsPerMinute, now });
      await cache.refreshEpoch();
      return {
        cache,
        now,
        // The bucket follows `now`; Redis expires keys by its own clock, so wait for those.
        advance: async (ms) => {
          offset += ms;
          await sleep(Math.min(ms, retentionMs + 100));
        },
      };
    },
  });

  it('keeps keys short and under its prefix, whatever the jti', async () => {
    const prefix = `${PREFIX}keys:`;
    const redis = await sharedClient(prefix);
    const cache = createRedisReplayCache({ redis, retentionMs: 60_000 });
    await cache.refreshEpoch();
    await cache.firstUse({
      subject: 'https://issuer alice',
      key: `jkt ${'x'.repeat(256)}`,
      earliestUse: Date.now(),
    });
    const raw = new Redis(SHARED);
    const keys = await raw.keys(`${prefix}*`);
    raw.disconnect();
    const names = keys.map((k) => k.slice(prefix.length)).sort();
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^dpop-count:\d+:[A-Za-z0-9_-]{22}$/);
    expect(names[1]).toBe('dpop-epoch');
    expect(names[2]).toMatch(/^dpop-proof:[A-Za-z0-9_-]{22}$/);
    // The proof is kept for the whole retention (PX), the count for two minutes.
    expect(await redis.pttl(names[2] ?? '')).toBeGreaterThan(59_000);
    expect(await redis.pttl(names[0] ?? '')).toBeGreaterThan(119_000);
  });

  it('does not keep a proof refused by the bound (the bound is what bounds memory)', async () => {
    const redis = await sharedClient();
    let offset = 0;
    const now = () => Date.now() + offset;
    const cache = createRedisReplayCache({ redis, retentionMs: 60_000, proofsPerMinute: 1, now });
    await cache.refreshEpoch();
    const use = (key: string) => ({ subject: 'alice', key, earliestUse: now() });
    expect(await cache.firstUse(use('jkt a'))).toBe(true);
    await expect(cache.firstUse(use('jkt b'))).rejects.toMatchObject({ code: 'subject-bound' });
    offset += 60_000; // the next minute's bucket; `jkt a` is still within its retention
    expect(await cache.firstUse(use('jkt b'))).toBe(true);
    expect(await cache.firstUse(use('jkt a'))).toBe(false);
  });

  describe('the epoch', () => {
    const fresh = (): ProofUse => ({
      subject: 'alice',
      key: `jkt ${randomBytes(8).toString('hex')}`,
      earliestUse: Date.now() - 60_000, // iat now, minus the 60 s window
    });

    it('a first start writes it back-dated by the retention: nothing is refused', async () => {
      const redis = await sharedClient();
      const cache = createRedisReplayCache({ redis, retentionMs: 360_000 });
      const epoch = await cache.refreshEpoch();
      expect(epoch).toBeLessThanOrEqual(Date.now() - 360_000);
      expect(await redis.get('dpop-epoch')).toMatch(/^\d+ fresh$/);
      expect(await cache.firstUse(fresh())).toBe(true);
    });

    it('lost: proofs from before the new epoch are refused, saying since when it remembers', async () => {
      const prefix = `${PREFIX}lost:`;
      const redis = await sharedClient(prefix);
      const cache = createRedisReplayCache({ redis, retentionMs: 360_000 });
      await cache.refreshEpoch();
      const used = fresh();
      expect(await cache.firstUse(used)).toBe(true); // positive control
      // The data loss, confined to this test's own prefix.
      const raw = new Redis(SHARED);
      const keys = await raw.keys(`${prefix}*`);
      await raw.del(...keys);
      raw.disconnect();
      const refused = await cache.firstUse(used).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ReplayCheckError);
      expect(refused).toMatchObject({ code: 'reset' });
      expect((refused as ReplayCheckError).retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect((refused as ReplayCheckError).retryAfterSeconds).toBeLessThanOrEqual(61);
      expect(await redis.get('dpop-epoch')).toMatch(/^\d+ reset$/);
      const epoch = Number.parseInt((await redis.get('dpop-epoch')) ?? '', 10);
      expect((refused as ReplayCheckError).since).toBe(epoch);
      // Another proof from before is refused too; one made after the epoch passes.
      await expect(cache.firstUse(fresh())).rejects.toMatchObject({ code: 'reset' });
      const after = { ...fresh(), earliestUse: Date.now() + 1 };
      expect(await cache.firstUse(after)).toBe(true);
      expect(await cache.firstUse(after)).toBe(false);
    });

    it('an epoch key holding anything else counts as lost, never as "trust everything"', async () => {
      const redis = await sharedClient();
      const cache = createRedisReplayCache({ redis, retentionMs: 360_000 });
      await cache.refreshEpoch();
      await redis.set('dpop-epoch', 'garbage');
      await expect(cache.firstUse(fresh())).rejects.toMatchObject({ code: 'reset' });
      expect(await redis.get('dpop-epoch')).toMatch(/^\d+ reset$/);
    });

    it("a first-start process's back-dated epoch after a loss is overruled by one that saw it", async () => {
      const prefix = `${PREFIX}overrule:`;
      const [a, b] = [await sharedClient(prefix), await sharedClient(prefix)];
      const seen = createRedisReplayCache({ redis: a, retentionMs: 360_000 });
      await seen.refreshEpoch();
      const used = fresh();
      expect(await seen.firstUse(used)).toBe(true);
      await a.del('dpop-epoch', ...(await a.keys('*')).map((k) => k.slice(prefix.length)));
      // B starts later (a second on: within one millisecond both would write the same
      // back-dated value), finds no epoch, writes a back-dated one: alone it would accept `used`.
      const newcomer = createRedisReplayCache({
        redis: b,
        retentionMs: 360_000,
        now: () => Date.now() + 1_000,
      });
      await newcomer.refreshEpoch();
      expect(await b.get('dpop-epoch')).toMatch(/ fresh$/);
      // A saw the old epoch: the changed, back-dated one is a loss; A writes a reset epoch...
      await expect(seen.firstUse(used)).rejects.toMatchObject({ code: 'reset' });
      expect(await a.get('dpop-epoch')).toMatch(/ reset$/);
      // ...which B then follows.
      await expect(newcomer.firstUse(used)).rejects.toMatchObject({ code: 'reset' });
    });
  });
});

describe('the eviction policy, checked at start (private redis-servers)', () => {
  it.each([['allkeys-lru'], ['volatile-lru'], ['volatile-ttl'], ['allkeys-random']])(
    'refuses maxmemory-policy %s with one line naming it',
    async (policy) => {
      const server = await startPrivateRedis(['--maxmemory-policy', policy]);
      try {
        const opening = openRedis({ url: server.url, keyPrefix: 't:' });
        await expect(opening).rejects.toThrow(
          new RegExp(
            `^REDIS_URL: Redis at 127\\.0\\.0\\.1:${server.port}: maxmemory-policy is ${policy}, which may evict DPoP replay keys: set it to noeviction`,
          ),
        );
        // Confirming noeviction does not overrule a policy Redis reports.
        await expect(
          openRedis({ url: server.url, keyPrefix: 't:', noEvictionConfirmed: true }),
        ).rejects.toThrow(/maxmemory-policy is/);
      } finally {
        await server.stop();
      }
    },
  );

  it('accepts noeviction (the default of redis-server)', async () => {
    const server = await startPrivateRedis();
    try {
      const redis = await openRedis({ url: server.url, keyPrefix: 't:' });
      expect(redis.status).toBe('ready');
      redis.disconnect();
    } finally {
      await server.stop();
    }
  });

  it('a Redis refusing CONFIG GET (managed) needs REDIS_NOEVICTION_CONFIRMED=1', async () => {
    const server = await startPrivateRedis(['--rename-command', 'CONFIG', '']);
    try {
      await expect(openRedis({ url: server.url, keyPrefix: 't:' })).rejects.toThrow(
        /CONFIG GET maxmemory-policy was refused .*set REDIS_NOEVICTION_CONFIRMED=1$/,
      );
      const redis = await openRedis({
        url: server.url,
        keyPrefix: 't:',
        noEvictionConfirmed: true,
      });
      await checkNoEviction(redis, true);
      redis.disconnect();
    } finally {
      await server.stop();
    }
  });

  it('an unreachable Redis stops the start with one line, never echoing the password', async () => {
    const server = await startPrivateRedis();
    await server.stop();
    await expect(
      openRedis({ url: `redis://:s3cret@127.0.0.1:${server.port}`, keyPrefix: 't:' }),
    ).rejects.toThrow(
      new RegExp(
        `^REDIS_URL: Redis at 127\\.0\\.0\\.1:${server.port}: not reachable \\(ECONNREFUSED\\)$`,
      ),
    );
    await expect(
      openRedis({ url: `redis://:s3cret@127.0.0.1:${server.port}`, keyPrefix: 't:' }),
    ).rejects.not.toThrow(/s3cret/);
  });
});
