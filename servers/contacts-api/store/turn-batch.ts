// Reads that many requests make at once (every list and search asks its owner's list
// version) joined into one query per event-loop turn: under load, one round trip and one
// statement serve the turn's requests instead of one each.
// IMPORTANT: a read joins only a batch that has not been sent yet, so its query always
// leaves after the read was asked: a write completed before a request arrived is seen by
// that request, as with a query of its own.

/** Runs one batch: the value for each key it has, keys without one are left out. */
export type BatchQuery<T, R> = (items: readonly T[]) => Promise<ReadonlyMap<string, R>>;

/** More keys than this in one turn go out as several queries (bounded statement size). */
export const MAX_BATCH = 500;

export function batchPerTurn<T, R>(
  keyOf: (item: T) => string,
  query: BatchQuery<T, R>,
): (item: T) => Promise<R | undefined> {
  type Waiter = { resolve: (value: R | undefined) => void; reject: (reason: unknown) => void };
  let pending: Map<string, { item: T; waiters: Waiter[] }> | undefined;

  const send = (batch: Map<string, { item: T; waiters: Waiter[] }>) => {
    query([...batch.values()].map((entry) => entry.item)).then(
      (found) => {
        for (const [key, { waiters }] of batch) {
          for (const waiter of waiters) waiter.resolve(found.get(key));
        }
      },
      (err: unknown) => {
        for (const { waiters } of batch.values()) for (const waiter of waiters) waiter.reject(err);
      },
    );
  };

  return (item) =>
    new Promise<R | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<string, { item: T; waiters: Waiter[] }>();
        pending = batch;
        // After this turn's I/O callbacks: the requests parsed in this turn join.
        setImmediate(() => {
          if (pending === batch) pending = undefined;
          send(batch);
        });
      }
      const key = keyOf(item);
      const entry = pending.get(key);
      if (entry) entry.waiters.push({ resolve, reject });
      else pending.set(key, { item, waiters: [{ resolve, reject }] });
      if (pending.size >= MAX_BATCH) pending = undefined; // sent by its own setImmediate
    });
}
