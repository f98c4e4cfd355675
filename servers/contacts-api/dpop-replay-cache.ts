// Remembers the `jti` of accepted DPoP proofs for as long as the same proof could pass the
// freshness checks again, so each proof is used once (RFC 9449 §11.1). Two implementations
// behind this one interface: this process's memory (here; right only when exactly one API
// process exists) and Redis (redis-replay-cache.ts), shared by every process.
// IMPORTANT: both are bounded per subject (the token's user), and neither ever drops a live
// entry to make room: one client flooding the cache cannot push out another's entries. A
// user over the bound is refused (429) until the next minute; a cache that is full for
// everyone refuses (503) rather than forgets.

export interface ProofUse {
  /** Whose token the proof came with (issuer + subject): the unit of the bound. */
  subject: string;
  /** The proof itself: key thumbprint + jti. */
  key: string;
  /**
   * The earliest time (ms) this proof could have passed the freshness checks: its `iat`
   * minus the window, or the start of its nonce's minute. Redis refuses proofs older than
   * its memory (the epoch, redis-epoch.ts).
   */
  earliestUse: number;
}

export interface ReplayCache {
  /**
   * True the first time a proof is seen within the retention time, false for a replay.
   * Rejects with ReplayCheckError when it cannot tell: a proof is never accepted unchecked.
   */
  firstUse(use: ProofUse): Promise<boolean>;
}

export type ReplayCheckErrorCode =
  /** The subject used more new proofs this minute than the bound allows (429). */
  | 'subject-bound'
  /** The in-process cache holds its maximum of live entries (503). */
  | 'full'
  /** Redis did not answer, or refused the write (503). */
  | 'unavailable'
  /**
   * Redis lost its data (a new epoch): a proof that could have been used before cannot be
   * checked. Never accepted; the client is asked for a proof with a nonce made after `since`.
   */
  | 'reset';

export class ReplayCheckError extends Error {
  /** 'reset': since when (ms) the cache remembers proofs (the new epoch). */
  readonly since: number | undefined;
  constructor(
    readonly code: ReplayCheckErrorCode,
    /** When the same request may succeed again, in whole seconds. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown; since?: number },
  ) {
    super(`DPoP replay check: ${code}`, options);
    this.name = 'ReplayCheckError';
    this.since = options?.since;
  }
}

/** The bound counts new proofs per subject per minute (a fixed bucket of this length). */
export const SUBJECT_BUCKET_MS = 60_000;
export const DEFAULT_PROOFS_PER_MINUTE = 600;

export function untilNextBucket(time: number): number {
  return Math.max(1, Math.ceil((SUBJECT_BUCKET_MS - (time % SUBJECT_BUCKET_MS)) / 1000));
}

export function createInProcessReplayCache({
  retentionMs,
  proofsPerMinute = DEFAULT_PROOFS_PER_MINUTE,
  maxEntries = 250_000,
  now = () => Date.now(),
}: {
  retentionMs: number;
  /** New proofs one subject may use per minute (DPOP_PROOFS_PER_MINUTE). */
  proofsPerMinute?: number;
  /** Live entries of all subjects together (memory: ~300 bytes each at most). */
  maxEntries?: number;
  now?: () => number;
}): ReplayCache {
  // Insertion order = arrival order, and one retention for all: the first entry is always
  // the first to expire, so pruning stops at the first live one.
  const expiries = new Map<string, number>();
  // `${bucket} ${subject}` → new proofs; buckets only grow, so older ones come first too.
  const counts = new Map<string, number>();
  const prune = (time: number, bucket: number) => {
    for (const [key, expiry] of expiries) {
      if (expiry > time) break;
      expiries.delete(key);
    }
    for (const counted of counts.keys()) {
      if (Number(counted.slice(0, counted.indexOf(' '))) >= bucket) break;
      counts.delete(counted);
    }
  };
  return {
    async firstUse({ subject, key }) {
      const time = now();
      const bucket = Math.floor(time / SUBJECT_BUCKET_MS);
      prune(time, bucket);
      if (expiries.has(key)) return false; // a replay spends nothing of its subject's bound
      const counted = `${bucket} ${subject}`;
      const used = counts.get(counted) ?? 0;
      if (used >= proofsPerMinute) {
        throw new ReplayCheckError('subject-bound', untilNextBucket(time));
      }
      if (expiries.size >= maxEntries) {
        // The oldest entry expires first: that is when room comes back.
        const [oldest] = expiries.values();
        throw new ReplayCheckError(
          'full',
          Math.max(1, Math.ceil(((oldest ?? time) - time) / 1000)),
        );
      }
      counts.set(counted, used + 1);
      expiries.set(key, time + retentionMs);
      return true;
    },
  };
}
