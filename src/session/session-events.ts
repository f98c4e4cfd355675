// A small in-memory log of what the session layer did, for QA to read in the app (the
// "Session log" disclosure). IMPORTANT: entries never hold tokens, only words and times.

export interface SessionEvent {
  /** Wall-clock time, for people; ordering uses `seq`. */
  at: string;
  seq: number;
  kind: string;
  detail?: string;
}

const MAX_EVENTS = 500;

export class SessionEventLog {
  private events: SessionEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  record(kind: string, detail?: string): void {
    this.seq += 1;
    const event = {
      at: new Date().toISOString(),
      seq: this.seq,
      kind,
      ...(detail ? { detail } : {}),
    };
    this.events = [...this.events.slice(-(MAX_EVENTS - 1)), event];
    for (const listener of this.listeners) listener();
  }

  /** A stable snapshot (a new array only after a change), for useSyncExternalStore. */
  list(): readonly SessionEvent[] {
    return this.events;
  }

  count(kind: string): number {
    return this.events.filter((event) => event.kind === kind).length;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
