// Server-issued DPoP nonces (RFC 9449 §9): stateless, an HMAC over the time the nonce was
// made, so a client whose clock is off by minutes proves freshness with our clock instead of
// its own `iat`. One nonce per minute (made at its start) is handed out; after a replay
// cache's loss (redis-replay-cache.ts) one made no earlier than the loss (`after`).
// IMPORTANT: every process serving the API must share the secret (node:cluster workers get it
// from the primary through DPOP_NONCE_SECRET), or nonces fail across them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const STEP_MS = 60_000;
/** A nonce is accepted for this long after it was made (4–5 minutes of handing it out). */
export const NONCE_LIFETIME_MS = 5 * STEP_MS;
/** Younger than this it is 'fresh'; older, accepted but a new one is handed out. */
const FRESH_MS = 2 * STEP_MS;
/** A nonce made by a process whose clock is ahead of ours by up to this is still accepted. */
const CLOCK_SKEW_MS = 5_000;

export interface DpopNonces {
  /** The nonce to hand out now. */
  current(): string;
  /** The nonce to hand out now that was made no earlier than `since` (ms). */
  after(since: number): string;
  /** 'fresh': keep using it; 'stale': accepted, but hand out a new one; 'invalid': refuse. */
  check(nonce: string): 'fresh' | 'stale' | 'invalid';
  /** When a nonce that passed check() was made (ms): no proof with it can be older. */
  issuedAt(nonce: string): number;
}

export function createDpopNonces(
  secret: string | Uint8Array = randomBytes(32),
  now: () => number = () => Date.now(),
): DpopNonces {
  const mac = (madeAt: number) =>
    createHmac('sha256', secret).update(String(madeAt)).digest().subarray(0, 16);
  const make = (madeAt: number) => `${madeAt.toString(36)}.${mac(madeAt).toString('base64url')}`;
  const stepStart = () => Math.floor(now() / STEP_MS) * STEP_MS;
  let cached = { madeAt: Number.NaN, nonce: '' };
  const current = () => {
    const madeAt = stepStart();
    if (cached.madeAt !== madeAt) cached = { madeAt, nonce: make(madeAt) };
    return cached.nonce;
  };
  return {
    current,
    after(since) {
      // The same `since` gives the same nonce in every process sharing the secret.
      return since <= stepStart() ? current() : make(Math.ceil(since));
    },
    check(nonce) {
      const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
      if (!match?.[1] || !match[2]) return 'invalid';
      const madeAt = Number.parseInt(match[1], 36);
      const age = now() - madeAt;
      if (age < -CLOCK_SKEW_MS || age >= NONCE_LIFETIME_MS) return 'invalid';
      if (!timingSafeEqual(Buffer.from(match[2], 'base64url'), mac(madeAt))) return 'invalid';
      return age < FRESH_MS ? 'fresh' : 'stale';
    },
    issuedAt(nonce) {
      return Number.parseInt(nonce.slice(0, nonce.indexOf('.')), 36);
    },
  };
}
