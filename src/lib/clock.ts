/** Milliseconds since the epoch, as the servers count them. */
export interface Clock {
  now(): number;
}

/**
 * The device clock corrected by an offset measured against a server. A laptop whose clock
 * is ten minutes off would otherwise reject valid tokens or accept expired ones.
 */
export function correctedClock(offsetMs: number, device: () => number = Date.now): Clock {
  return { now: () => device() + offsetMs };
}

/**
 * Server time minus device time, from an HTTP `Date` header (1 s resolution) and the
 * device times when the request was sent and the answer arrived. Null when unusable.
 */
export function clockOffsetFrom(
  dateHeader: string | null,
  sentAt: number,
  receivedAt: number,
): number | null {
  if (!dateHeader) return null;
  const serverTime = Date.parse(dateHeader);
  if (Number.isNaN(serverTime)) return null;
  // The header truncates to the second: its true value lies in [t, t + 1 s).
  const offset = serverTime + 500 - (sentAt + receivedAt) / 2;
  // Below a few seconds the header's resolution and the round trip are all we measure.
  return Math.abs(offset) < 2000 ? 0 : Math.round(offset);
}

/**
 * The server's time, carried forward on the monotonic clock: once measured, a device clock
 * that is changed or jumps (±10 minutes) no longer moves it. `resync` takes a new offset,
 * e.g. after the computer slept (the monotonic clock may not count sleep).
 */
export function anchoredClock(
  offsetMs: number,
  device: () => number = Date.now,
  monotonic: () => number = () => performance.now(),
): Clock & { resync(offsetMs: number): void } {
  let base = device() + offsetMs;
  let since = monotonic();
  return {
    now: () => base + (monotonic() - since),
    resync(next) {
      base = device() + next;
      since = monotonic();
    },
  };
}

// An auth_time that cannot be true says nothing about when the user signed in: 0 (Glewlwyd
// sends it when the cookie it reads it from is missing, as on a CORS token request), not a
// positive whole number, or later than now beyond the clock tolerance. Kept with the clock
// (in the start-up chunk) so the ID token checks and the account page share it.
/** The auth_time when it can be true, else undefined ("not given"). */
export function plausibleAuthTime(
  authTime: unknown,
  nowSeconds: number,
  toleranceSeconds: number,
): number | undefined {
  if (typeof authTime !== 'number' || !Number.isSafeInteger(authTime) || authTime <= 0) {
    return undefined;
  }
  return authTime > nowSeconds + toleranceSeconds ? undefined : authTime;
}
