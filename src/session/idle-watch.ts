// Optional idle timeout: the session ends after N minutes with no user activity in any tab
// of this app. Activity is shared between tabs (throttled), so reading in one tab keeps the
// others alive; the last stretch is announced by a countdown dialog (idle-dialog.tsx).

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
const SHARE_EVERY_MS = 5_000;

export interface IdleState {
  /** Milliseconds left before the session ends; null while far from it. */
  warningMsLeft: number | null;
  timedOut: boolean;
}

export class IdleWatch {
  private lastActivity: number;
  private lastShared = Number.NEGATIVE_INFINITY;
  private state: IdleState = { warningMsLeft: null, timedOut: false };
  private readonly listeners = new Set<() => void>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly timeoutMs: number,
    private readonly channel: BroadcastChannel | null,
    private readonly now: () => number = () => performance.now(),
    /** The dialog shows for this long before the end (at most a fifth of the timeout). */
    private readonly warningMs = Math.min(60_000, timeoutMs / 5),
  ) {
    this.lastActivity = now();
    for (const type of ACTIVITY_EVENTS) {
      window.addEventListener(type, this.active, { passive: true, capture: true });
    }
    channel?.addEventListener('message', () => this.touch(false));
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
    if (share && this.lastActivity - this.lastShared >= SHARE_EVERY_MS) {
      this.lastShared = this.lastActivity;
      this.channel?.postMessage('activity');
    }
    this.tick();
  }

  private tick(): void {
    if (this.state.timedOut) return;
    const left = this.timeoutMs - (this.now() - this.lastActivity);
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
