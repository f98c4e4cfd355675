// The one record all tabs of this origin share about the session, in IndexedDB because its
// transactions are consistent across tabs: what one tab committed before releasing the
// renewal lock, the next lock holder reads (localStorage gives no such promise).
// It holds no access token. See storage-policy.ts for the refresh token.

export interface SessionMarker {
  /** Bumped by every renewal and sign-in: a tab whose copy is older must not refresh. */
  generation: number;
  /** False after sign-out or a permanent failure: other tabs stop without asking the IdP. */
  active: boolean;
  /** Why it ended, when it did (`signed-out`, `invalid_grant`…). */
  endedBy?: string;
  /** Only when storage-policy.ts allows it (DPoP-bound refresh tokens). */
  persisted?: string;
}

export interface MarkerStore {
  read(): Promise<SessionMarker>;
  write(marker: SessionMarker): Promise<void>;
  clear(): Promise<void>;
}

const EMPTY: SessionMarker = { generation: 0, active: false };
const DB = 'oidc-contacts-session';
const STORE = 'session';

export function indexedDbMarkerStore(key: string): MarkerStore {
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return db;
  };
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest) => {
    const tx = (await open()).transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
    // Resolves on commit, not on the request: the next lock holder must see the write.
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return {
    read: async () => ({
      ...EMPTY,
      ...(await run<SessionMarker | undefined>('readonly', (s) => s.get(key))),
    }),
    write: (marker) => run('readwrite', (s) => s.put(marker, key)),
    clear: () => run('readwrite', (s) => s.delete(key)),
  };
}

/** For unit tests and for browsers without IndexedDB (one tab then works alone). */
export function memoryMarkerStore(initial: SessionMarker = EMPTY): MarkerStore {
  let marker = { ...initial };
  return {
    read: async () => ({ ...marker }),
    write: async (next) => {
      marker = { ...next };
    },
    clear: async () => {
      marker = { ...EMPTY };
    },
  };
}
