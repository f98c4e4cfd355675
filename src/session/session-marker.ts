// The one record all tabs of this origin share about the session, in IndexedDB because its
// transactions are consistent across tabs: what one tab committed before releasing the
// renewal lock, the next lock holder reads (localStorage gives no such promise).
// It holds no access token. See storage-policy.ts for the refresh token.

import { objectStoreAccess } from '../lib/indexed-db-store.ts';

export interface SessionMarker {
  /** Bumped by every renewal and sign-in: a tab whose copy is older must not refresh. */
  generation: number;
  /** False after sign-out or a permanent failure: other tabs stop without asking the IdP. */
  active: boolean;
  /** Why it ended, when it did (`signed-out`, `invalid_grant`…). */
  endedBy?: string;
  /** Only when storage-policy.ts allows it (DPoP-bound refresh tokens). */
  persisted?: string;
  /**
   * Wall-clock time (ms) after which `persisted` is deleted unused: the sign-in's time plus
   * the configured session lifetime, kept by renewals. Without it, `persisted` is expired.
   */
  persistedUntil?: number;
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
  const { run } = objectStoreAccess(DB, STORE, 1);
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
