// Remembers the `jti` of accepted DPoP proofs for as long as the same proof could pass the
// freshness checks again, so each proof is used once (RFC 9449 §11.1). Bounded: entries are
// kept in arrival order with one retention time, so the oldest is also the first to expire.
// Trade-off: past `maxEntries` live entries the oldest is dropped early, reopening a replay
// window for that one proof (sized so only a flood far beyond normal use gets there).
// Per process: with several API workers, a replay may land on a worker that never saw it.

export interface ReplayCache {
  /** True the first time a key is seen within the retention time, false for a replay. */
  firstUse(key: string): boolean;
}

export function createReplayCache({
  retentionMs,
  maxEntries = 100_000,
  now = () => Date.now(),
}: {
  retentionMs: number;
  maxEntries?: number;
  now?: () => number;
}): ReplayCache {
  const expiries = new Map<string, number>();
  return {
    firstUse(key) {
      const time = now();
      for (const [oldest, expiry] of expiries) {
        if (expiry > time && expiries.size < maxEntries) break;
        expiries.delete(oldest);
      }
      const seen = expiries.get(key);
      if (seen !== undefined && seen > time) return false;
      expiries.delete(key); // re-inserted at the end, keeping arrival order
      expiries.set(key, time + retentionMs);
      return true;
    },
  };
}
