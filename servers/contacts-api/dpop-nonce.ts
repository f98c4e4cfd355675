// Server-issued DPoP nonces (RFC 9449 §9): stateless, an HMAC over a one-minute time step,
// so a client whose clock is off by minutes proves freshness with our clock instead of its
// own `iat`. IMPORTANT: every process serving the API must share the secret (node:cluster
// workers get it from the primary through DPOP_NONCE_SECRET), or nonces fail across them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const STEP_MS = 60_000;
/** A nonce is accepted for this many steps after its own (4–5 minutes). */
const VALID_STEPS = 4;
/** The longest a nonce stays acceptable, for the replay cache's retention. */
export const NONCE_LIFETIME_MS = (VALID_STEPS + 1) * STEP_MS;

export interface DpopNonces {
  /** The nonce to hand out now. */
  current(): string;
  /** 'fresh': keep using it; 'stale': accepted, but hand out a new one; 'invalid': refuse. */
  check(nonce: string): 'fresh' | 'stale' | 'invalid';
  /** When the minute of a nonce that passed check() began (ms): none was made before. */
  issuedAt(nonce: string): number;
}

export function createDpopNonces(
  secret: string | Uint8Array = randomBytes(32),
  now: () => number = () => Date.now(),
): DpopNonces {
  const mac = (step: number) =>
    createHmac('sha256', secret).update(String(step)).digest().subarray(0, 16);
  const stepNow = () => Math.floor(now() / STEP_MS);
  let cached = { step: Number.NaN, nonce: '' };
  return {
    current() {
      const step = stepNow();
      if (cached.step !== step) {
        cached = { step, nonce: `${step.toString(36)}.${mac(step).toString('base64url')}` };
      }
      return cached.nonce;
    },
    check(nonce) {
      const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
      if (!match?.[1] || !match[2]) return 'invalid';
      const step = Number.parseInt(match[1], 36);
      const age = stepNow() - step;
      if (age < 0 || age > VALID_STEPS) return 'invalid';
      if (!timingSafeEqual(Buffer.from(match[2], 'base64url'), mac(step))) return 'invalid';
      return age <= 1 ? 'fresh' : 'stale';
    },
    issuedAt(nonce) {
      return Number.parseInt(nonce.slice(0, nonce.indexOf('.')), 36) * STEP_MS;
    },
  };
}
