// The DPoP replay cache in Redis, shared by every API process (dpop-replay-cache.ts has the
// contract). One MULTI per proof: read the epoch, SET the proof's key NX with the retention
// as its TTL, count the subject's new proofs this minute.
// The epoch key says since when this Redis remembers proofs. Redis restarted without its
// data loses every replay key, so a proof accepted before could pass again: a process that
// had seen the epoch and finds it gone writes a new one (now), and every process then
// refuses proofs that could have been used before it ('reset': the API asks for a proof with
// a nonce made after the epoch, which a client sends at once). A process that never saw one
// (a first start) writes it
// back-dated by the retention: nothing is refused, as there is nothing it could protect.
// Limit: if every API process restarts together with a Redis that lost its data, none can
// know; it is the same as restarting a single API process with its in-process cache.
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  DEFAULT_PROOFS_PER_MINUTE,
  type ReplayCache,
  ReplayCheckError,
  SUBJECT_BUCKET_MS,
  untilNextBucket,
} from './dpop-replay-cache.ts';

const EPOCH_KEY = 'dpop-epoch';
/** How long a request is asked to wait while Redis does not answer (seconds). */
const OUTAGE_RETRY_AFTER_SECONDS = 2;

/** Keys stay short whatever the jti or subject: 22 characters of SHA-256. */
const digest = (text: string) => hash('sha256', text, 'base64url').slice(0, 22);

export interface RedisReplayCache extends ReplayCache {
  /** Reads the epoch, or writes one if it is missing (at start and on each reconnect). */
  refreshEpoch(): Promise<number>;
}

export function createRedisReplayCache({
  redis,
  retentionMs,
  proofsPerMinute = DEFAULT_PROOFS_PER_MINUTE,
  now = () => Date.now(),
}: {
  redis: Redis;
  retentionMs: number;
  proofsPerMinute?: number;
  now?: () => number;
}): RedisReplayCache {
  /** The epoch as this process last saw it: `<ms> fresh` or `<ms> reset`. */
  let known: string | undefined;

  /** Takes in the epoch value Redis holds (null: gone) and says since when to trust it. */
  async function observe(held: string | null): Promise<number> {
    // Anything but an epoch this code wrote counts as gone: never parsed into "trust all".
    const value = held !== null && /^\d{1,15} (fresh|reset)$/.test(held) ? held : null;
    const changed = known !== undefined && value !== known;
    // Gone, or replaced by a first-start process's back-dated one: this process saw the
    // data go. Plain SET (not NX) so a back-dated epoch is overruled; a `reset` one never is.
    if (changed && (value === null || value.endsWith(' fresh'))) {
      known = `${now()} reset`;
      await redis.set(EPOCH_KEY, known);
      return Number.parseInt(known, 10);
    }
    if (value === null) {
      await redis.set(EPOCH_KEY, `${now() - retentionMs} fresh`, 'NX');
      const written = await redis.get(EPOCH_KEY);
      if (written === null) throw new Error('the epoch key vanished as it was written');
      return observe(written);
    }
    known = value;
    return Number.parseInt(value, 10);
  }

  const unavailable = (cause: unknown) =>
    new ReplayCheckError('unavailable', OUTAGE_RETRY_AFTER_SECONDS, { cause });

  return {
    async refreshEpoch() {
      return observe(await redis.get(EPOCH_KEY));
    },

    async firstUse({ subject, key, earliestUse }) {
      const time = now();
      const proofKey = `dpop-proof:${digest(key)}`;
      const countKey = `dpop-count:${Math.floor(time / SUBJECT_BUCKET_MS)}:${digest(subject)}`;
      let since: number;
      let added: boolean;
      let count: number;
      try {
        const replies = await redis
          .multi()
          .get(EPOCH_KEY)
          .set(proofKey, '1', 'PX', retentionMs, 'NX')
          .incr(countKey)
          .pexpire(countKey, 2 * SUBJECT_BUCKET_MS)
          .exec();
        if (!replies) throw new Error('MULTI was discarded');
        const failed = replies.find(([err]) => err);
        if (failed) throw failed[0];
        since = await observe(replies[0]?.[1] as string | null);
        added = replies[1]?.[1] === 'OK';
        count = replies[2]?.[1] as number;
      } catch (err) {
        if (err instanceof ReplayCheckError) throw err;
        throw unavailable(err);
      }
      if (earliestUse < since) {
        // Could have been used before this Redis's memory began: cannot be checked.
        throw new ReplayCheckError('reset', Math.max(1, Math.ceil((since - earliestUse) / 1000)), {
          since,
        });
      }
      if (!added) {
        // A replay spends nothing of its subject's bound (a replayer must not lock them out).
        await redis.decr(countKey).catch(() => undefined);
        return false;
      }
      if (count > proofsPerMinute) {
        // Not kept: the bound is what keeps one subject from filling Redis.
        await redis.del(proofKey).catch(() => undefined);
        throw new ReplayCheckError('subject-bound', untilNextBucket(time));
      }
      return true;
    },
  };
}
