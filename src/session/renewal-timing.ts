// When to renew and how long to wait after a failure. Pure functions of durations, so the
// scheduler can be tested with fake timers and the numbers argued about in one place.

/** Never renew earlier than this share of the lifetime: one renewal per token lifetime. */
const MIN_USED_SHARE = 0.7;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8_000;

/**
 * How long before expiry to renew. The configured margin applies to long-lived tokens; a
 * short token is renewed once 70 % of it is used. The library's fixed 60 s margin would
 * renew a 15 s token every second.
 */
export function renewalMarginMs(lifetimeMs: number, configuredMarginMs: number): number {
  return Math.max(0, Math.min(configuredMarginMs, lifetimeMs * (1 - MIN_USED_SHARE)));
}

/** Milliseconds from receiving a token to renewing it. */
export function renewalDelayMs(lifetimeMs: number, configuredMarginMs: number): number {
  return Math.max(0, lifetimeMs - renewalMarginMs(lifetimeMs, configuredMarginMs));
}

/**
 * Exponential backoff with jitter (half fixed, half random) so that many tabs or many
 * clients coming back at once do not hit the token endpoint in step.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
