// Finished list and search answers, per user, so a client paging or searching the same view
// again costs one version look-up instead of a walk of 51 rows and a new response body.
// Correct across workers: each entry remembers the owner's list version it was built from
// (migration v4: every insert, update or delete of a contact bumps it, in SQLite, whichever
// process wrote), and a hit must match the version read for this request. Bounded by bytes,
// least recently used first out. Keys start with the owner's id, so no user ever reads
// another's entry.

export interface CachedPage {
  /** The owner's list version the body was built from. */
  version: number;
  body: Buffer;
}

export interface PageCache {
  get(key: string, version: number): Buffer | undefined;
  set(key: string, page: CachedPage): void;
  /** Bytes held (bodies + keys + a fixed overhead per entry). */
  readonly bytes: number;
  readonly size: number;
}

/** Map entry, key string, object headers: a rough but safe allowance per entry. */
const ENTRY_OVERHEAD = 200;

/** Default bound per process: ~2,000 pages of 50 contacts. */
export const DEFAULT_PAGE_CACHE_BYTES = 32 * 1024 * 1024;

export function createPageCache(maxBytes = DEFAULT_PAGE_CACHE_BYTES): PageCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least
  // recently used one.
  const entries = new Map<string, CachedPage>();
  let bytes = 0;
  const sizeOf = (key: string, page: CachedPage) =>
    page.body.length + key.length * 2 + ENTRY_OVERHEAD;
  const remove = (key: string, page: CachedPage) => {
    entries.delete(key);
    bytes -= sizeOf(key, page);
  };
  return {
    get(key, version) {
      const page = entries.get(key);
      if (page === undefined) return undefined;
      if (page.version !== version) {
        remove(key, page); // the owner wrote since: this entry can never be served again
        return undefined;
      }
      entries.delete(key);
      entries.set(key, page);
      return page.body;
    },
    set(key, page) {
      const size = sizeOf(key, page);
      if (size > maxBytes) return;
      const old = entries.get(key);
      if (old !== undefined) remove(key, old);
      for (const [oldestKey, oldest] of entries) {
        if (bytes + size <= maxBytes) break;
        remove(oldestKey, oldest);
      }
      entries.set(key, page);
      bytes += size;
    },
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
  };
}
