import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { indexedDbMarkerStore } from './session-marker.ts';

beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory()); // a fresh, empty browser profile per test
  return () => vi.unstubAllGlobals();
});

describe('indexedDbMarkerStore', () => {
  it('reads an empty marker, then what was written, then an empty one after clear', async () => {
    const store = indexedDbMarkerStore('issuer client');
    expect(await store.read()).toEqual({ generation: 0, active: false });
    await store.write({ generation: 3, active: true });
    expect(await indexedDbMarkerStore('issuer client').read()).toEqual({
      generation: 3,
      active: true,
    });
    expect(await indexedDbMarkerStore('another client').read()).toEqual({
      generation: 0,
      active: false,
    });
    await store.clear();
    expect(await store.read()).toEqual({ generation: 0, active: false });
  });
});
