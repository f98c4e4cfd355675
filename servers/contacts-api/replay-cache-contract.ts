// Test-only: what every replay cache (dpop-replay-cache.ts) must do, run against the
// in-process one and the Redis one alike. `advance` moves the cache's clock: a fake one in
// process; for Redis also real time, since Redis expires keys by its own clock.
import { describe, expect, it } from 'vitest';
import { type ProofUse, type ReplayCache, ReplayCheckError } from './dpop-replay-cache.ts';

export interface ContractCache {
  cache: ReplayCache;
  /** Moves the cache's clock on by `ms` (and lets that much retention pass). */
  advance(ms: number): Promise<void>;
  /** The cache's clock now (ms). */
  now(): number;
}

export interface ContractSetup {
  /** The retention the cache under test was made with (kept short for Redis). */
  retentionMs: number;
  /** A fresh cache: retentionMs as above, `proofsPerMinute` per subject. */
  make(proofsPerMinute: number): Promise<ContractCache>;
}

export function replayCacheContract(setup: ContractSetup): void {
  const use = (c: ContractCache, subject: string, key: string): ProofUse => ({
    subject,
    key,
    earliestUse: c.now(), // made just now (Redis refuses proofs older than its epoch)
  });
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReplayCheckError);
    return err as ReplayCheckError;
  };

  describe('the replay cache contract', () => {
    it('accepts a proof the first time, refuses the same proof again', async () => {
      const c = await setup.make(100);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(false);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(false);
    });

    it('keeps proofs apart by key: another jti, or the same jti by another key, is new', async () => {
      const c = await setup.make(100);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 b'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 a'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 a'))).toBe(false);
    });

    it('a replay under another subject is still a replay (the key decides)', async () => {
      const c = await setup.make(100);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'mallory', 'jkt1 a'))).toBe(false);
    });

    it('forgets a proof once the retention time has passed', async () => {
      const c = await setup.make(100);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      await c.advance(setup.retentionMs / 2);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(false);
      await c.advance(setup.retentionMs / 2 + 200);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
    });

    it('bounds new proofs per subject per minute: 429-style refusal, with a time to retry', async () => {
      const c = await setup.make(3);
      for (const jti of ['1', '2', '3']) {
        expect(await c.cache.firstUse(use(c, 'alice', `jkt1 ${jti}`))).toBe(true);
      }
      const err = await refusal(c.cache.firstUse(use(c, 'alice', 'jkt1 4')));
      expect(err.code).toBe('subject-bound');
      expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(err.retryAfterSeconds).toBeLessThanOrEqual(60);
    });

    it("one subject at its bound pushes out no one's entries, its own or another's", async () => {
      const c = await setup.make(3);
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 b1'))).toBe(true);
      for (const jti of ['1', '2', '3']) await c.cache.firstUse(use(c, 'alice', `jkt1 ${jti}`));
      for (let i = 0; i < 20; i += 1) {
        await c.cache.firstUse(use(c, 'alice', `jkt1 flood${i}`)).catch(() => undefined);
      }
      // Bob's entry and Alice's own are all still there: their replays are refused.
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 b1'))).toBe(false);
      for (const jti of ['1', '2', '3']) {
        expect(await c.cache.firstUse(use(c, 'alice', `jkt1 ${jti}`))).toBe(false);
      }
      // And Bob's bound is his own.
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 b2'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'bob', 'jkt2 b3'))).toBe(true);
    });

    it('a replay spends nothing of the bound (a replayer cannot lock a user out)', async () => {
      const c = await setup.make(2);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      for (let i = 0; i < 10; i += 1) {
        expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(false);
      }
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 b'))).toBe(true);
    });

    it('a proof refused by the bound is not recorded, and the next minute it passes', async () => {
      const c = await setup.make(1);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 a'))).toBe(true);
      expect((await refusal(c.cache.firstUse(use(c, 'alice', 'jkt1 b')))).code).toBe(
        'subject-bound',
      );
      await c.advance(60_000);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 b'))).toBe(true);
      expect(await c.cache.firstUse(use(c, 'alice', 'jkt1 b'))).toBe(false);
    });
  });
}
