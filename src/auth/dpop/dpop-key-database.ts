// Where the DPoP key pairs are kept: IndexedDB database "oidc", store "dpop", the names
// oidc-client-ts's IndexedDbDPoPStore uses, so keys it stored stay usable. That store opens
// the database anew for every read and write (and never closes it): three opens on the
// callback's path, 35–45 ms each under load here. One connection serves the page instead.
import type { DPoPState } from 'oidc-client-ts';
import { objectStoreAccess } from '../../lib/indexed-db-store.ts';

const keyPairs = objectStoreAccess('oidc', 'dpop');

/** oidc-client-ts's DPoPStore, on the page's one connection. */
export const dpopKeyDatabase = {
  async set(key: string, value: DPoPState): Promise<void> {
    await keyPairs.run('readwrite', (store) => store.put(value, key));
  },
  get(key: string): Promise<DPoPState> {
    return keyPairs.run<DPoPState>('readonly', (store) => store.get(key));
  },
  async remove(key: string): Promise<DPoPState> {
    const removed = await dpopKeyDatabase.get(key);
    await keyPairs.run('readwrite', (store) => store.delete(key));
    return removed;
  },
  getAllKeys(): Promise<string[]> {
    return keyPairs.run<string[]>('readonly', (store) => store.getAllKeys());
  },
};

/**
 * On the callback page: opens the connection while the config and the auth code load, so
 * the token request's proof does not wait for it.
 */
export function openDpopKeyDatabaseEarly(): void {
  // No IndexedDB or storage blocked: the open rejects, and the store reports it when used.
  keyPairs.open().catch(() => undefined);
}
