// The contacts API answered 429: how many seconds until the waiting request is sent again
// (contacts-http.ts), for the notice that tells the user. 0: nothing is waiting.
export interface SlowDown {
  seconds(): number;
  /** ContactsApi.onSlowDown. */
  set(seconds: number): void;
  subscribe(listener: () => void): () => void;
}

export function createSlowDown(): SlowDown {
  let seconds = 0;
  const listeners = new Set<() => void>();
  return {
    seconds: () => seconds,
    set(next) {
      seconds = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
