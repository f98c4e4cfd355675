// When the current access token expires and when to renew it, counted on a monotonic clock
// from `expires_in`: the device's wall-clock error cannot move a renewal.
import { renewalMarginMs } from './renewal-timing.ts';

/** Timers may fire a little early; a renewal that is due this soon goes ahead. */
const DUE_SLACK_MS = 250;

export class TokenTimeline {
  private expiresAt = 0;
  private lifetime = 0;

  constructor(
    private readonly now: () => number,
    private readonly configuredMarginMs: number,
  ) {}

  get lifetimeMs(): number {
    return this.lifetime;
  }

  /** A token arrived here (`expiresInMs` = lifetime) or was handed over with less left. */
  start(lifetimeMs: number, expiresInMs = lifetimeMs): void {
    this.lifetime = lifetimeMs;
    this.expiresAt = this.now() + expiresInMs;
  }

  /** A persisted refresh token without an access token: due at once. */
  expireNow(): void {
    this.lifetime = 0;
    this.expiresAt = this.now();
  }

  clear(): void {
    this.expiresAt = 0;
  }

  msLeft(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  /** True when less than `ms` of the token's life is left (0: it has expired). */
  expiresWithin(ms: number): boolean {
    return this.now() >= this.expiresAt - ms;
  }

  isDue(): boolean {
    return this.now() >= this.renewAt() - DUE_SLACK_MS;
  }

  msUntilDue(): number {
    return Math.max(0, this.renewAt() - this.now());
  }

  private renewAt(): number {
    return this.expiresAt - renewalMarginMs(this.lifetime, this.configuredMarginMs);
  }
}
