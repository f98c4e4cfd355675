// What the IdP did, per user and client: counters and a bounded log, so tests can assert
// how many refreshes a session made or that a fault was really served.
import type { Counters, LogEntry } from './fault-kinds.ts';

const MAX_ENTRIES = 5000;

const zero = (): Counters => ({
  authorizations: 0,
  codeExchanges: 0,
  refreshes: 0,
  tokenErrors: 0,
  refreshReuseDetected: 0,
  revocations: 0,
  faultsServed: 0,
});

export interface Recorded {
  user?: string | undefined;
  client?: string | undefined;
  event: string;
  detail?: string | undefined;
}

export class RequestLog {
  #seq = 0;
  #entries: LogEntry[] = [];
  #counters = new Map<string, Counters>();

  record(entry: Recorded, counter?: keyof Counters): LogEntry {
    const logged: LogEntry = {
      seq: ++this.#seq,
      at: new Date(Date.now()).toISOString(),
      event: entry.event,
    };
    for (const key of ['user', 'client', 'detail'] as const) {
      if (entry[key] !== undefined) Object.assign(logged, { [key]: entry[key] });
    }
    this.#entries.push(logged);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
    if (counter) {
      for (const key of [`user:${entry.user}`, `client:${entry.client}`]) {
        if (key.endsWith(':undefined')) continue;
        const counters = this.#counters.get(key) ?? zero();
        counters[counter] += 1;
        this.#counters.set(key, counters);
      }
    }
    return logged;
  }

  /** Counters of a user, or of a client when `by` is 'client'. */
  counters(name: string, by: 'user' | 'client' = 'user'): Counters {
    return { ...(this.#counters.get(`${by}:${name}`) ?? zero()) };
  }

  entries(filter: { user?: string; client?: string; since?: number } = {}): LogEntry[] {
    return this.#entries.filter(
      (entry) =>
        (filter.user === undefined || entry.user === filter.user) &&
        (filter.client === undefined || entry.client === filter.client) &&
        (filter.since === undefined || entry.seq > filter.since),
    );
  }

  /** The last sequence number handed out: "since" for a later `entries` call. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Forgets a user's counters and log entries. */
  reset(user: string): void {
    this.#counters.delete(`user:${user}`);
    this.#entries = this.#entries.filter((entry) => entry.user !== user);
  }
}
