import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { objectStoreAccess } from './indexed-db-store.ts';

beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory()); // a fresh, empty browser profile per test
  return () => vi.unstubAllGlobals();
});

const put = (key: string, value: unknown) => (store: IDBObjectStore) => store.put(value, key);
const get = (key: string) => (store: IDBObjectStore) => store.get(key);

describe('objectStoreAccess', () => {
  it('creates the database and its store, and reads back what it wrote', async () => {
    const access = objectStoreAccess('db', 'things');
    expect(await access.run('readonly', get('a'))).toBeUndefined();
    await access.run('readwrite', put('a', { n: 1 }));
    await access.run('readwrite', put('b', { n: 2 }));
    expect(await access.run('readonly', get('a'))).toEqual({ n: 1 });
    expect(await access.run('readonly', (store) => store.getAllKeys())).toEqual(['a', 'b']);
    await access.run('readwrite', (store) => store.delete('a'));
    expect(await access.run('readonly', (store) => store.getAllKeys())).toEqual(['b']);
  });

  it('opens the database once for any number of reads and writes', async () => {
    const open = vi.spyOn(indexedDB, 'open');
    const access = objectStoreAccess('db', 'things');
    await Promise.all([access.open(), access.run('readonly', get('x'))]);
    for (let i = 0; i < 5; i++) await access.run('readwrite', put(`k${i}`, i));
    await access.run('readonly', get('k4'));
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('resolves a write once committed: another connection (another tab) reads it at once', async () => {
    await objectStoreAccess('db', 'things').run('readwrite', put('a', 'written'));
    expect(await objectStoreAccess('db', 'things').run('readonly', get('a'))).toBe('written');
  });

  it("gives way to another page's upgrade, then opens again for the next transaction", async () => {
    const access = objectStoreAccess('db', 'things');
    await access.run('readwrite', put('a', 'kept'));
    const upgrade = indexedDB.open('db', 2);
    const blocked = vi.fn();
    upgrade.onblocked = blocked;
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      upgrade.onsuccess = () => resolve(upgrade.result);
      upgrade.onerror = () => reject(upgrade.error);
    });
    expect(blocked).not.toHaveBeenCalled();
    expect(upgraded.version).toBe(2);
    upgraded.close();
    expect(await access.run('readonly', get('a'))).toBe('kept');
  });

  it('opens a new connection when the old one was closed without a close event', async () => {
    const open = vi.spyOn(indexedDB, 'open');
    const access = objectStoreAccess('db', 'things');
    await access.run('readwrite', put('a', 1));
    (await access.open()).close();
    expect(await access.run('readonly', get('a'))).toBe(1);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('reports a database that cannot be opened, and tries again on the next call', async () => {
    await objectStoreAccess('db', 'things', 3).open();
    const open = vi.spyOn(indexedDB, 'open');
    const tooOld = objectStoreAccess('db', 'things', 1); // a lower version than stored
    await expect(tooOld.run('readonly', get('a'))).rejects.toMatchObject({ name: 'VersionError' });
    await expect(tooOld.run('readonly', get('a'))).rejects.toMatchObject({ name: 'VersionError' });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('without IndexedDB (storage disabled) the open rejects rather than throwing', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const opening = objectStoreAccess('db', 'things').open(); // must not throw here
    await expect(opening).rejects.toThrow();
  });

  it('keeps two stores of one database apart', async () => {
    const first = objectStoreAccess('db', 'one');
    await first.run('readwrite', put('a', 'from one'));
    // The second store needs an upgrade: the first connection gives way to it.
    const second = objectStoreAccess('db', 'two', 2);
    await second.run('readwrite', put('a', 'from two'));
    expect(await first.run('readonly', get('a'))).toBe('from one');
    expect(await second.run('readonly', get('a'))).toBe('from two');
  });
});
