// The session's status as the UI reads it (useSyncExternalStore): one snapshot, replaced
// on change, with listeners; changes worth knowing go to the session log.
import type { SessionSnapshot } from './session-types.ts';

export class SessionState {
  private current: SessionSnapshot = { status: 'signed-out' };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly log: (kind: string, detail?: string) => void) {}

  snapshot = (): SessionSnapshot => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Signed out, or ended for good (only signing in again helps). */
  get over(): boolean {
    return this.current.status === 'signed-out' || this.current.final === true;
  }

  set(next: SessionSnapshot): void {
    const previous = this.current;
    const changed =
      next.status !== previous.status ||
      next.reason !== previous.reason ||
      next.final !== previous.final;
    if (!changed) return;
    const routine =
      next.status === 'renewing' || (next.status === 'active' && previous.status === 'renewing');
    this.current = next;
    // Routine renewals would drown the log (they have their own entry); the rest is news.
    if (!routine) this.log('status', next.reason ? `${next.status} (${next.reason})` : next.status);
    for (const listener of this.listeners) listener();
  }
}
