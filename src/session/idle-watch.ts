// Optional idle timeout: the session ends after N minutes with no user activity in any tab
// of this app. Activity is shared between tabs (throttled), so reading in one tab keeps the
// others alive; the last stretch is announced by a countdown dialog (react/idle-dialog.tsx).
// Idle time is counted on the monotonic clock and on the wall clock, the larger winning:
// the monotonic one stops while a laptop sleeps. The last activity is also kept in
// localStorage, so an app opened again after the deadline knows the session is over.

import type { TabBroadcast } from '../lib/tab-broadcast.ts';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
const SHARE_EVERY_MS = 5_000;

export interface IdleState {
  /** Milliseconds left before the session ends; null while far from it. */
  warningMsLeft: number | null;
  timedOut: boolean;
}

/** Where the last activity of the session `scope` is kept (wall-clock ms; no secret). */
export const lastActivityKey = (scope: string) => `oidc-contacts.last-activity:${scope}`;

/** True when `storage` says the session `scope` has been idle for `timeoutMs` already. */
export function idleDeadlinePassed(
  scope: string,
  timeoutMs: number,
  wallNow: number = Date.now(),
  storage: Storage = localStorage,
): boolean {
  const last = Number(storage.getItem(lastActivityKey(scope)) ?? Number.NaN);
  return Number.isFinite(last) && wallNow - last >= timeoutMs;
}

export class IdleWatch {
  private lastActivity: number;
  private lastActivityWall: number;
  private lastShared = Number.NEGATIVE_INFINITY;
  private state: IdleState = { warningMsLeft: null, timedOut: false };
  private readonly listeners = new Set<() => void>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly timeoutMs: number,
    private readonly channel: TabBroadcast<'activity'> | null,
    private readonly now: () => number = () => performance.now(),
    /** The dialog shows for this long before the end (at most a fifth of the timeout). */
    private readonly warningMs = Math.min(60_000, timeoutMs / 5),
    private readonly wallNow: () => number = Date.now,
    /** Keeps the last shared activity (wall clock) for the next visit, when set. */
    private readonly keep: ((wallTime: number) => void) | null = null,
  ) {
    this.lastActivity = now();
    this.lastActivityWall = wallNow();
    for (const type of ACTIVITY_EVENTS) {
      window.addEventListener(type, this.active, { passive: true, capture: true });
    }
    channel?.listen(() => this.touch(false));
    this.timer = setInterval(() => this.tick(), 1_000);
  }

  /** "Stay signed in", or any input. */
  active = (): void => this.touch(true);

  snapshot = (): IdleState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  stop(): void {
    clearInterval(this.timer);
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, this.active, true);
  }

  private touch(share: boolean): void {
    if (this.state.timedOut) return;
    this.lastActivity = this.now();
    this.lastActivityWall = this.wallNow();
    if (share && this.lastActivity - this.lastShared >= SHARE_EVERY_MS) {
      this.lastShared = this.lastActivity;
      this.channel?.post('activity');
      this.keep?.(this.lastActivityWall);
    }
    this.tick();
  }

  private tick(): void {
    if (this.state.timedOut) return;
    const idle = Math.max(this.now() - this.lastActivity, this.wallNow() - this.lastActivityWall);
    const left = this.timeoutMs - idle;
    const next: IdleState =
      left <= 0
        ? { warningMsLeft: 0, timedOut: true }
        : { warningMsLeft: left <= this.warningMs ? left : null, timedOut: false };
    const seconds = (state: IdleState) =>
      state.warningMsLeft === null ? null : Math.ceil(state.warningMsLeft / 1000);
    if (next.timedOut === this.state.timedOut && seconds(next) === seconds(this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
