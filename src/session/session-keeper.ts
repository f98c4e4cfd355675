// The session layer: renews ahead of expiry on a monotonic clock, one tab at a time (Web
// Locks), hands every result to the other tabs (BroadcastChannel), retries transient
// failures with jittered backoff while the token still works, and ends the session in
// every tab on a permanent failure or a sign-out. See README "Session keeping".
import { classifyFailure, SessionEndedElsewhere } from './failure-kind.ts';
import { renewalMarginMs, retryDelayMs } from './renewal-timing.ts';
import type { SessionEventLog } from './session-events.ts';
import type { MarkerStore } from './session-marker.ts';
import type { TabChannel, TabMessage } from './tab-channel.ts';

export type SessionStatus =
  | 'signed-out'
  | 'active'
  | 'renewing'
  | 'retrying'
  | 'offline'
  | 'expired';

export interface SessionSnapshot {
  status: SessionStatus;
  /** Why the session is retrying or has ended: `network`, `invalid_grant`… */
  reason?: string;
  /** True when only signing in again can help (not a network problem that may pass). */
  final?: boolean;
}

/** What a sign-in or renewal produced, as other tabs need it. */
export interface ReceivedSession {
  serialized: string;
  lifetimeMs: number;
  /** Only for DPoP-bound refresh tokens (storage-policy.ts). */
  persisted?: string;
}

/** The tab's tokens, behind oidc-client-ts; faked in unit tests. */
export interface TokenSource {
  accessToken(): Promise<string | null>;
  /** Refresh-token grant, or a prompt=none iframe when there is no refresh token. */
  renew(): Promise<ReceivedSession>;
  /** A session another tab obtained and validated. */
  adopt(serialized: string): Promise<void>;
  serialize(): Promise<string | null>;
  forget(): Promise<void>;
}

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface KeeperDeps {
  tokens: TokenSource;
  marker: MarkerStore;
  channel: TabChannel;
  locks: LockLike;
  log: SessionEventLog;
  lockName: string;
  configuredMarginMs: number;
  now?: () => number;
  random?: () => number;
  isOnline?: () => boolean;
  /** How long a new tab waits for another tab to hand the session over. */
  handoverMs?: number;
}

/** A token this close to expiry is renewed before a request rather than sent. */
const SEND_SLACK_MS = 1_000;
/** A provider that hands out tokens living less than this is broken (clock or lifetime). */
const MIN_LIFETIME_MS = 1_000;
const BORN_EXPIRED = 'token_expired_on_arrival';
/** Timers may fire a little early; a renewal that is due this soon goes ahead. */
const DUE_SLACK_MS = 250;

export class SessionKeeper {
  private generation = 0;
  private expiresAt = 0;
  private lifetimeMs = 0;
  private state: SessionSnapshot = { status: 'signed-out' };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<boolean> | null = null;
  private wake: (() => void) | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  /** Set by the app: what to do when another tab signs out. */
  onSignedOutElsewhere: () => void = () => {};

  constructor(private readonly deps: KeeperDeps) {
    this.now = deps.now ?? (() => performance.now());
    deps.channel.listen((message) => void this.onMessage(message));
  }

  /** Before the first render: take the session from another tab if one has it. */
  async start(): Promise<void> {
    const marker = await this.deps.marker.read();
    if (!marker.active) return;
    this.deps.channel.post({ type: 'hello' });
    if (await this.waitUntil(() => this.generation > 0, this.deps.handoverMs ?? 300)) return;
    this.log('handover-none', 'no other tab holds the session');
    if (marker.persisted) {
      // A DPoP-bound refresh token outlives the tab (storage-policy.ts): renew with it.
      await this.deps.tokens.adopt(marker.persisted);
      this.generation = marker.generation;
      this.lifetimeMs = 0;
      this.expiresAt = this.now();
      this.setState({ status: 'renewing' });
      if (await this.renew('restore')) return;
      if (this.state.final) return;
    }
    try {
      await this.signedIn(await this.deps.tokens.renew(), 'silent sign-in');
    } catch (error) {
      this.log('silent-sign-in-failed', classifyFailure(error).reason);
    }
  }

  /** A sign-in in this tab (callback or silent): it becomes the session of every tab. */
  async signedIn(received: ReceivedSession, how = 'sign-in'): Promise<void> {
    if (received.lifetimeMs < MIN_LIFETIME_MS) {
      // Renewing such a token would loop at once; the sign-in route's breaker takes over.
      this.setState({ status: 'expired', reason: BORN_EXPIRED, final: true });
      return;
    }
    this.accept(received.lifetimeMs); // usable at once: the page's first request is coming
    const marker = await this.deps.marker.read();
    this.generation = Math.max(marker.generation, this.generation) + 1;
    this.broadcast(received);
    await this.deps.marker.write({
      generation: this.generation,
      active: true,
      ...(received.persisted ? { persisted: received.persisted } : {}),
    });
    this.log(how, `generation ${this.generation}, token for ${received.lifetimeMs / 1000} s`);
  }

  /** A valid access token for a request: renewed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    if (this.state.status === 'signed-out' || this.state.final) return null;
    if (this.now() >= this.expiresAt - SEND_SLACK_MS && !(await this.renew('before-request'))) {
      return null;
    }
    return this.deps.tokens.accessToken();
  }

  /** The API refused `rejected`: renew once (unless another tab already did), then retry. */
  async tokenAfterRejection(rejected: string): Promise<string | null> {
    if (!(await this.renew('rejected', rejected))) return null;
    return this.deps.tokens.accessToken();
  }

  /** Renews unless a renewal is already running; true when a usable token is there. */
  renew(trigger: string, rejected?: string): Promise<boolean> {
    this.inflight ??= this.renewWithRetries(trigger, rejected).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** `online`, `visibilitychange` to visible, `pageshow`: look again at once. */
  checkNow(trigger: string): void {
    if (this.state.status === 'signed-out' || this.state.final) return;
    if (this.wake) {
      this.log('recheck', trigger);
      this.wake();
    } else if (this.state.status === 'expired' || this.isDue()) {
      void this.renew(trigger);
    }
  }

  /** The session ends for a reason found here (idle timeout): every tab shows the notice. */
  endSession(reason: string): Promise<void> {
    return this.end(reason);
  }

  /** Deliberate sign-out here: every tab forgets the session (the caller then redirects). */
  async signOut(): Promise<void> {
    this.deps.channel.post({ type: 'signed-out' });
    this.clearSession('signed-out');
    await this.deps.marker.clear();
  }

  snapshot = (): SessionSnapshot => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private async renewWithRetries(trigger: string, rejected?: string): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deps.locks.request(this.deps.lockName, () =>
          this.renewUnderLock(trigger, rejected),
        );
        this.setState({ status: 'active' });
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        const elsewhere = error instanceof SessionEndedElsewhere;
        this.log(
          elsewhere ? 'ended-elsewhere' : 'renew-failed',
          `${failure.kind}: ${failure.reason} (attempt ${attempt})`,
        );
        if (failure.kind === 'permanent') {
          await this.end(failure.reason);
          return false;
        }
        if (this.snapshot().status === 'signed-out') return false;
        if (this.now() >= this.expiresAt) {
          // The token is gone: say so; a later check (online, visible, a request) may recover.
          this.setState({ status: 'expired', reason: failure.reason });
          return false;
        }
        const online = this.deps.isOnline?.() ?? true;
        this.setState({ status: online ? 'retrying' : 'offline', reason: failure.reason });
        await this.sleep(Math.min(retryDelayMs(attempt, this.deps.random), this.msLeft()));
        if (this.snapshot().status === 'signed-out') return false;
      }
    }
  }

  private async renewUnderLock(trigger: string, rejected?: string): Promise<void> {
    let marker = await this.deps.marker.read();
    if (this.state.final) throw new SessionEndedElsewhere(this.state.reason ?? 'ended');
    if (!marker.active) throw new SessionEndedElsewhere(marker.endedBy ?? 'signed-out');
    if (marker.generation > this.generation) {
      // Another tab renewed; its result is on the way (it posts before it writes the marker).
      this.deps.channel.post({ type: 'hello' });
      await this.waitUntil(() => this.generation >= marker.generation, 2_000);
      if (marker.generation > this.generation) throw new Error('stale session copy');
    }
    if (!(await this.needsRenewal(rejected))) {
      this.log('renew-skipped', `${trigger}: another tab renewed (generation ${this.generation})`);
      return;
    }
    this.setState({ status: 'renewing', reason: this.state.reason });
    const started = this.now();
    let received: ReceivedSession;
    try {
      received = await this.deps.tokens.renew();
      if (received.lifetimeMs < MIN_LIFETIME_MS) throw { code: BORN_EXPIRED };
      // Ended meanwhile (idle timeout, another tab's failure): the new tokens are not used.
      if (this.state.final) throw new SessionEndedElsewhere(this.state.reason ?? 'ended');
    } catch (error) {
      // Still under the lock: the next tab must read that the session is over, not retry.
      const failure = classifyFailure(error);
      if (failure.kind === 'permanent') {
        await this.deps.marker.write({ ...marker, active: false, endedBy: failure.reason });
      }
      throw error;
    }
    marker = await this.deps.marker.read();
    this.generation = Math.max(marker.generation, this.generation) + 1;
    this.accept(received.lifetimeMs);
    this.broadcast(received);
    await this.deps.marker.write({
      generation: this.generation,
      active: true,
      ...(received.persisted ? { persisted: received.persisted } : {}),
    });
    this.log(
      'renewed',
      `${trigger}, ${Math.round(this.now() - started)} ms, generation ${this.generation}`,
    );
  }

  private async needsRenewal(rejected?: string): Promise<boolean> {
    if (this.generation === 0) return true;
    if (rejected !== undefined) return (await this.deps.tokens.accessToken()) === rejected;
    return this.isDue() || this.state.status === 'expired';
  }

  private isDue(): boolean {
    return this.generation > 0 && this.now() >= this.renewAt() - DUE_SLACK_MS;
  }

  private renewAt(): number {
    return this.expiresAt - renewalMarginMs(this.lifetimeMs, this.deps.configuredMarginMs);
  }

  private msLeft(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  private accept(lifetimeMs: number, expiresInMs = lifetimeMs): void {
    this.lifetimeMs = lifetimeMs;
    this.expiresAt = this.now() + expiresInMs;
    this.setState({ status: 'active' });
    this.schedule();
    for (const waiter of this.waiters) waiter();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => void this.renew('scheduled'),
      Math.max(0, this.renewAt() - this.now()),
    );
  }

  private broadcast(received: ReceivedSession): void {
    this.deps.channel.post({
      type: 'session',
      generation: this.generation,
      user: received.serialized,
      expiresInMs: this.msLeft(),
      lifetimeMs: received.lifetimeMs,
    });
  }

  private async onMessage(message: TabMessage): Promise<void> {
    if (message.type === 'hello') {
      if (this.generation === 0 || this.state.final || this.state.status === 'signed-out') return;
      const user = await this.deps.tokens.serialize();
      if (!user) return;
      this.deps.channel.post({
        type: 'session',
        generation: this.generation,
        user,
        expiresInMs: this.msLeft(),
        lifetimeMs: this.lifetimeMs,
      });
    } else if (message.type === 'session') {
      if (message.generation <= this.generation) return;
      await this.deps.tokens.adopt(message.user);
      this.generation = message.generation;
      this.accept(message.lifetimeMs, message.expiresInMs);
      this.log('adopted', `generation ${message.generation}`);
    } else if (message.type === 'ended') {
      if (this.state.status !== 'signed-out' && !this.state.final) {
        clearTimeout(this.timer);
        this.setState({ status: 'expired', reason: message.reason, final: true });
        this.log('ended-elsewhere', message.reason);
      }
    } else if (message.type === 'signed-out') {
      this.clearSession('signed-out elsewhere');
      await this.deps.tokens.forget();
      this.onSignedOutElsewhere();
    }
  }

  /** Permanent failure: every tab shows the notice; what the user was doing stays. */
  private async end(reason: string): Promise<void> {
    if (this.state.status === 'signed-out') return;
    clearTimeout(this.timer);
    this.setState({ status: 'expired', reason, final: true });
    this.deps.channel.post({ type: 'ended', reason });
    const marker = await this.deps.marker.read();
    await this.deps.marker.write({ generation: marker.generation, active: false, endedBy: reason });
  }

  private clearSession(why: string): void {
    clearTimeout(this.timer);
    this.generation = 0;
    this.expiresAt = 0;
    this.wake?.();
    this.setState({ status: 'signed-out' });
    this.log('signed-out', why);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        finish();
      };
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(condition());
      };
      this.waiters.add(check);
    });
  }

  private setState(next: SessionSnapshot): void {
    const changed =
      next.status !== this.state.status ||
      next.reason !== this.state.reason ||
      next.final !== this.state.final;
    if (!changed) return;
    const routine =
      next.status === 'renewing' || (next.status === 'active' && this.state.status === 'renewing');
    this.state = next;
    // Routine renewals would drown the log (they have their own entry); the rest is news.
    if (!routine) this.log('status', next.reason ? `${next.status} (${next.reason})` : next.status);
    for (const listener of this.listeners) listener();
  }

  private log(kind: string, detail?: string): void {
    this.deps.log.record(kind, detail);
  }
}
