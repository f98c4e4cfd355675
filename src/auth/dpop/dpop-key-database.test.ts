import { IDBFactory } from 'fake-indexeddb';
import { type DPoPState, IndexedDbDPoPStore } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dpopKeyDatabase } from './dpop-key-database.ts';
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
});
