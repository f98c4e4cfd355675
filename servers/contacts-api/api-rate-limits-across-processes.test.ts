// Per-user limits hold across API processes only when their counters are shared: with
// REDIS_URL (a redis-server of the test's own) one user's requests to two processes count
// together; each in its own memory, the user gets the limit at each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from './private-redis.ts';
import type { RunningApi } from './server.ts';
import { type Harness, startHarness } from './test-harness.ts';

const LIMIT = 4;

describe.each([
  ['in each process', false],
  ['in Redis', true],
] as const)('the per-user limit, counted %s', (_where, shared) => {
  let redis: PrivateRedis | undefined;
  let h: Harness;
  let second: RunningApi;

  beforeAll(async () => {
    redis = shared ? await startPrivateRedis() : undefined;
    h = await startHarness({
      rateLimits: { perUser: LIMIT, perAddress: 0, windowSeconds: 60 },
      ...(redis ? { redis: { url: redis.url, keyPrefix: 'contacts-api:' } } : {}),
    });
    second = await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it(`lets one user make ${shared ? LIMIT : 2 * LIMIT} requests across two processes, then 429`, async () => {
    const token = await h.mint('sub-busy');
    const statuses: number[] = [];
    for (let i = 0; i < 2 * LIMIT + 2; i += 1) {
      statuses.push((await h.call('/contacts', { token, via: i % 2 ? second : undefined })).status);
    }
    const allowed = shared ? LIMIT : 2 * LIMIT;
    expect(statuses.slice(0, allowed).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(allowed)).toEqual(new Array(statuses.length - allowed).fill(429));
    // Another user is not affected, at either process.
    const other = await h.mint('sub-calm');
    expect((await h.call('/contacts', { token: other })).status).toBe(200);
    expect((await h.call('/contacts', { token: other, via: second })).status).toBe(200);
  });
});

describe('the per-user limit with its Redis gone', () => {
  it('lets requests through uncounted rather than failing them', async () => {
    const redis = await startPrivateRedis();
    const h = await startHarness({
      rateLimits: { perUser: LIMIT, perAddress: 0, windowSeconds: 60 },
      redis: { url: redis.url, keyPrefix: 'contacts-api:' },
    });
    try {
      const token = await h.mint('sub-during-outage');
      expect((await h.call('/contacts', { token })).status).toBe(200); // counted in Redis
      await redis.stop();
      // Bearer requests need no replay check: they go on while the limit cannot count.
      expect((await h.call('/contacts', { token })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
