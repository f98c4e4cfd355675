// Where the DPoP key pairs are kept: IndexedDB database "oidc", store "dpop", the names
// oidc-client-ts's IndexedDbDPoPStore uses, so keys it stored stay usable. That store opens
// the database anew for every read and write (and never closes it): three opens on the
// callback's path, each a round trip to the storage process (BENCHMARKS.md has the times).
// One connection serves the page instead.
//
// Reads are served from one in-memory copy of the store, read again only when some tab has
// written to it since: a counter in localStorage (synchronous, shared by every tab) changes
// with each write. Without it, a code exchange read the store twice (oidc-client-ts lists the
// keys, then reads one) and every API request once more, each a round trip to the browser's
// storage process; and each read made new CryptoKey objects, so the proof's public JWK was
// exported again every time.
import type { DPoPState } from 'oidc-client-ts';
import { objectStoreAccess } from '../../lib/indexed-db-store.ts';

const keyPairs = objectStoreAccess('oidc', 'dpop');

/** Not a secret: it only says "the key store changed" to the other tabs. */
export const KEY_STORE_GENERATION = 'oidc-contacts.dpop-store-generation';

type Records = ReadonlyMap<string, DPoPState>;

let copy: { generation: string; records: Promise<Records> } | undefined;

function currentGeneration(): string | undefined {
  try {
    let generation = localStorage.getItem(KEY_STORE_GENERATION);
    if (generation === null) {
      // Never written, or site data cleared since: start one, so the next clear shows too.
      generation = crypto.randomUUID();
      localStorage.setItem(KEY_STORE_GENERATION, generation);
    }
    return generation;
  } catch {
    return undefined; // storage blocked: nothing to compare with, so read every time
  }
}

function markChanged(): void {
  copy = undefined;
  try {
    localStorage.setItem(KEY_STORE_GENERATION, crypto.randomUUID());
  } catch {
    // Storage blocked: no copy is ever trusted either (currentGeneration is undefined).
  }
}

/** Every record, in one transaction. */
async function readRecords(): Promise<Records> {
  let keys: IDBRequest<IDBValidKey[]> | undefined;
  const values = await keyPairs.run<DPoPState[]>('readonly', (store) => {
    keys = store.getAllKeys();
    return store.getAll();
  });
  // Both requests ran in that transaction, in key order.
  return new Map((keys?.result ?? []).map((key, i) => [String(key), values[i] as DPoPState]));
}

function records(): Promise<Records> {
  const generation = currentGeneration();
  if (copy && copy.generation === generation) return copy.records;
  const reading = readRecords();
  const entry = generation === undefined ? undefined : { generation, records: reading };
  copy = entry;
  reading.catch(() => {
    if (entry && copy === entry) copy = undefined; // the next read tries again
  });
  return reading;
}

/** oidc-client-ts's DPoPStore, on the page's one connection. */
export const dpopKeyDatabase = {
  async set(key: string, value: DPoPState): Promise<void> {
    try {
      await keyPairs.run('readwrite', (store) => store.put(value, key));
    } finally {
      markChanged(); // even a failed write may have been applied
    }
  },
  async get(key: string): Promise<DPoPState> {
    return (await records()).get(key) as DPoPState;
  },
  async remove(key: string): Promise<DPoPState> {
    const removed = await dpopKeyDatabase.get(key);
    try {
      await keyPairs.run('readwrite', (store) => store.delete(key));
    } finally {
      markChanged();
    }
    return removed;
  },
  async getAllKeys(): Promise<string[]> {
    return [...(await records()).keys()];
  },
};

/**
 * On the callback page: reads the key store while the config and the auth code load, so
 * the token request's proof does not wait for it.
 */
export function readDpopKeysEarly(): void {
  // No IndexedDB or storage blocked: the read rejects, and the store reports it when used.
  records().catch(() => undefined);
}
