import { describe, expect, it } from 'vitest';
import { NONCE_LIFETIME_MS } from './dpop-nonce.ts';
import { createInProcessReplayCache, ReplayCheckError } from './dpop-replay-cache.ts';
import { replayCacheContract } from './replay-cache-contract.ts';

describe('in-process replay cache', () => {
  const retentionMs = NONCE_LIFETIME_MS;
  replayCacheContract({
    retentionMs,
    async make(proofsPerMinute) {
      let time = 1_800_000_000_000;
      const now = () => time;
      const cache = createInProcessReplayCache({ retentionMs, proofsPerMinute, now });
      return {
        cache,
        now,
        advance: async (ms) => {
          time += ms;
        },
      };
    },
  });

  it('when full for everyone, refuses new proofs (503) and drops no live entry', async () => {
    let time = 0;
    const cache = createInProcessReplayCache({
      retentionMs: 60_000,
      maxEntries: 2,
      now: () => time,
    });
    const use = (subject: string, key: string) => ({ subject, key, earliestUse: 0 });
    expect(await cache.firstUse(use('alice', 'a'))).toBe(true);
    expect(await cache.firstUse(use('bob', 'b'))).toBe(true);
    time += 10_000;
    const full = await cache.firstUse(use('carol', 'c')).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(ReplayCheckError);
    expect(full).toMatchObject({ code: 'full', retryAfterSeconds: 50 }); // when 'a' expires
    expect(await cache.firstUse(use('alice', 'a'))).toBe(false); // still remembered
    time += 50_000;
    expect(await cache.firstUse(use('carol', 'c'))).toBe(true);
  });
});
