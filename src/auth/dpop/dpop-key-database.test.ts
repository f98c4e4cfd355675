import { IDBDatabase, IDBFactory } from 'fake-indexeddb';
import { type DPoPState, IndexedDbDPoPStore } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dpopKeyDatabase, KEY_STORE_GENERATION } from './dpop-key-database.ts';
import { ProviderDpopStore } from './dpop-key-store.ts';

// The module keeps one connection: one browser profile for the whole file.
beforeAll(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
});
afterAll(() => vi.unstubAllGlobals());

const state = (name: string) => ({ keys: { name }, nonce: undefined }) as unknown as DPoPState;

describe('dpopKeyDatabase', () => {
  it("reads the keys oidc-client-ts's own store wrote (same database and store), and the other way round", async () => {
    const theirs = new IndexedDbDPoPStore();
    await theirs.set('written by oidc-client-ts', state('old'));
    expect(await dpopKeyDatabase.get('written by oidc-client-ts')).toEqual(state('old'));
    await dpopKeyDatabase.set('written here', state('new'));
    expect(await theirs.get('written here')).toEqual(state('new'));
    expect(await dpopKeyDatabase.getAllKeys()).toEqual([
      'written by oidc-client-ts',
      'written here',
    ]);
  });

  it('removes a key pair and returns what it removed', async () => {
    await dpopKeyDatabase.set('to remove', state('gone'));
    expect(await dpopKeyDatabase.remove('to remove')).toEqual(state('gone'));
    expect(await dpopKeyDatabase.get('to remove')).toBeUndefined();
    expect(await dpopKeyDatabase.getAllKeys()).not.toContain('to remove');
  });

  it('serves the proofs of a sign-in with one connection (not one open per read)', async () => {
    const open = vi.spyOn(indexedDB, 'open');
    const store = new ProviderDpopStore('https://idp.example');
    await store.set('spa', state('bound'));
    // What a callback does: keys listed and read for the token request, read for the API.
    expect(await store.getAllKeys()).toEqual(['spa']);
    expect(await store.get('spa')).toEqual(state('bound'));
    expect(await store.get('spa')).toEqual(state('bound'));
    expect(open).not.toHaveBeenCalled(); // opened by the first test already
    open.mockRestore();
  });

  it('a code exchange and the first API request read the store once, and get the same key objects', async () => {
    const store = new ProviderDpopStore('https://one-read.example');
    await store.set('spa', state('bound'));
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    // oidc-client-ts lists the keys, then reads one; the API request reads it again.
    expect(await store.getAllKeys()).toEqual(['spa']);
    const forToken = await store.get('spa');
    const forApi = await store.get('spa');
    expect(transactions).toHaveBeenCalledTimes(1);
    // One CryptoKey object per page: createDpopProof exports its public JWK once.
    expect(forApi.keys).toBe(forToken.keys);
    transactions.mockRestore();
  });
});

describe('dpopKeyDatabase: what other tabs wrote', () => {
  /** Another tab of this app: it writes to the database and changes the shared counter. */
  async function anotherTabWrites(key: string, value: DPoPState | null): Promise<void> {
    const theirs = new IndexedDbDPoPStore();
    if (value) await theirs.set(key, value);
    else await theirs.remove(key);
    localStorage.setItem(KEY_STORE_GENERATION, crypto.randomUUID());
  }

  it('reads again after another tab replaced or deleted a key', async () => {
    await dpopKeyDatabase.set('shared', state('first'));
    expect(await dpopKeyDatabase.get('shared')).toEqual(state('first'));
    await anotherTabWrites('shared', state('second'));
    expect(await dpopKeyDatabase.get('shared')).toEqual(state('second'));
    await anotherTabWrites('shared', null);
    expect(await dpopKeyDatabase.get('shared')).toBeUndefined();
    expect(await dpopKeyDatabase.getAllKeys()).not.toContain('shared');
  });

  it('reads again when the counter is gone (site data cleared)', async () => {
    await dpopKeyDatabase.set('cleared', state('kept'));
    expect(await dpopKeyDatabase.get('cleared')).toEqual(state('kept'));
    await new IndexedDbDPoPStore().remove('cleared');
    localStorage.removeItem(KEY_STORE_GENERATION);
    expect(await dpopKeyDatabase.get('cleared')).toBeUndefined();
  });

  it('a copy read before any tab wrote the counter still notices a clear', async () => {
    await new IndexedDbDPoPStore().set('older app', state('kept'));
    localStorage.removeItem(KEY_STORE_GENERATION); // as left by a version without it
    expect(await dpopKeyDatabase.get('older app')).toEqual(state('kept'));
    await new IndexedDbDPoPStore().remove('older app');
    localStorage.removeItem(KEY_STORE_GENERATION);
    expect(await dpopKeyDatabase.get('older app')).toBeUndefined();
  });

  it('its own writes and removals are read back at once', async () => {
    await dpopKeyDatabase.set('own', state('v1'));
    expect(await dpopKeyDatabase.get('own')).toEqual(state('v1'));
    await dpopKeyDatabase.set('own', state('v2'));
    expect(await dpopKeyDatabase.get('own')).toEqual(state('v2'));
    await dpopKeyDatabase.remove('own');
    expect(await dpopKeyDatabase.get('own')).toBeUndefined();
  });

  it('with localStorage refused, trusts no copy: every read goes to the database', async () => {
    await dpopKeyDatabase.set('no counter', state('first'));
    const refuse = vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(await dpopKeyDatabase.get('no counter')).toEqual(state('first'));
    await new IndexedDbDPoPStore().set('no counter', state('second')); // no counter to change
    expect(await dpopKeyDatabase.get('no counter')).toEqual(state('second'));
    refuse.mockRestore();
  });

  it('a failed read is not kept: the next one asks the database again', async () => {
    await dpopKeyDatabase.set('flaky', state('there'));
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    transactions.mockImplementationOnce(() => {
      throw new DOMException('disk error', 'UnknownError');
    });
    await expect(dpopKeyDatabase.get('flaky')).rejects.toThrow('disk error');
    expect(await dpopKeyDatabase.get('flaky')).toEqual(state('there'));
    transactions.mockRestore();
  });
});
