// What the keeper's parts share about this tab's session: the generation of its copy, the
// token's timeline, the status, and the steps every path takes (accept a token, tell the
// other tabs, end the session). session-keeper.ts, renewal.ts and tab-messages.ts use it.
import { SessionState } from './session-state.ts';
import type { KeeperDeps, ReceivedSession } from './session-types.ts';
import { TokenTimeline } from './token-timeline.ts';
import { ConditionWaiters, WakeableSleep } from './waiting.ts';

const DEFAULT_PERSISTED_LIFETIME_MS = 8 * 3_600_000;

export class SessionCore {
  /** Bumped by every renewal and sign-in in any tab; 0: this tab holds no session. */
  generation = 0;
  readonly now: () => number;
  readonly timeline: TokenTimeline;
  readonly state: SessionState;
  readonly waiters = new ConditionWaiters();
  readonly backoff = new WakeableSleep();
  /** Called when the scheduled renewal falls due (the keeper renews). */
  onDue: () => void = () => {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly deps: KeeperDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.timeline = new TokenTimeline(this.now, deps.configuredMarginMs);
    this.state = new SessionState((kind, detail) => this.log(kind, detail));
  }

  isDue(): boolean {
    return this.generation > 0 && this.timeline.isDue();
  }

  /** A usable token is here (received or handed over): schedule its renewal. */
  accept(lifetimeMs: number, expiresInMs = lifetimeMs): void {
    this.timeline.start(lifetimeMs, expiresInMs);
    this.state.set({ status: 'active' });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onDue(), this.timeline.msUntilDue());
    this.waiters.notify();
  }

  /** Hands this tab's session (`user`, serialized) to every other tab. */
  announce(user: string): void {
    this.deps.channel.post({
      type: 'session',
      generation: this.generation,
      user,
      expiresInMs: this.timeline.msLeft(),
      lifetimeMs: this.timeline.lifetimeMs,
    });
  }

  /** A sign-in or renewal here: it takes the generation after every tab's. */
  async nextGeneration(): Promise<void> {
    const marker = await this.deps.marker.read();
    this.generation = Math.max(marker.generation, this.generation) + 1;
  }

  /**
   * Tells the other tabs (first: they read the marker only under the lock), then records it;
   * a persisted session with the time it may be used until (storage-policy.ts).
   */
  async share(received: ReceivedSession, persistedUntil: number | undefined): Promise<void> {
    this.announce(received.serialized);
    const persisted = received.persisted;
    await this.deps.marker.write({
      generation: this.generation,
      active: true,
      ...(persisted && persistedUntil !== undefined ? { persisted, persistedUntil } : {}),
    });
  }

  /** A sign-in's persisted session may be used this long (the configured session lifetime). */
  persistedUntilFromNow(): number {
    return this.wallNow() + (this.deps.persistedLifetimeMs ?? DEFAULT_PERSISTED_LIFETIME_MS);
  }

  readonly wallNow = (): number => (this.deps.wallNow ?? Date.now)();

  /**
   * Permanent failure: every tab shows the notice; what the user was doing stays. `forget`:
   * the session was ended on purpose and every tab drops its tokens.
   */
  async end(reason: string, { forget = false } = {}): Promise<void> {
    if (this.state.snapshot().status === 'signed-out') return;
    clearTimeout(this.timer);
    this.state.set({ status: 'expired', reason, final: true });
    this.deps.channel.post({ type: 'ended', reason, ...(forget ? { forget } : {}) });
    const marker = await this.deps.marker.read();
    await this.deps.marker.write({ generation: marker.generation, active: false, endedBy: reason });
  }

  /** Another tab ended the session: the notice here too, no request. */
  endedElsewhere(reason: string): void {
    if (this.state.over) return;
    clearTimeout(this.timer);
    this.state.set({ status: 'expired', reason, final: true });
    this.log('ended-elsewhere', reason);
  }

  clear(why: string): void {
    clearTimeout(this.timer);
    this.generation = 0;
    this.timeline.clear();
    this.backoff.wake();
    this.state.set({ status: 'signed-out' });
    this.log('signed-out', why);
  }

  log(kind: string, detail?: string): void {
    this.deps.log.record(kind, detail);
  }
}
