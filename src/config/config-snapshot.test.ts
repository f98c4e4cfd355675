import { describe, expect, it } from 'vitest';
import { readConfigSnapshot, SNAPSHOT_MAX_AGE_MS, saveConfigSnapshot } from './config-snapshot.ts';

const served = () => ({
  providers: [
    {
      id: 'local',
      label: 'Local test IdP',
      issuer: 'http://localhost:4000',
      clientId: 'contacts-spa',
      scopes: ['openid', 'contacts:read'],
    },
  ],
  api: { baseUrl: 'http://localhost:4001', resource: 'http://localhost:4001' },
});

/** A Storage over a Map; `refuse` makes setItem throw as full or disabled storage does. */
function memoryStorage({ refuse = false } = {}): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => {
      if (refuse) throw new DOMException('quota', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

const t0 = 1_800_000_000_000;

describe('config snapshot', () => {
  it('gives back the saved config, parsed, with its clock offset', () => {
    const storage = memoryStorage();
    saveConfigSnapshot(served(), -600_000, t0, storage);
    const snapshot = readConfigSnapshot(t0 + 5_000, storage);
    expect(snapshot?.clockOffsetMs).toBe(-600_000);
    expect(snapshot?.config.providers[0]?.issuer).toBe('http://localhost:4000');
    // Parsed again: defaults are filled in as for a served file.
    expect(snapshot?.config.options.clockToleranceSeconds).toBe(120);
    expect(snapshot?.raw).toEqual(served());
  });

  it('has none before anything was saved', () => {
    expect(readConfigSnapshot(t0, memoryStorage())).toBeNull();
  });

  it('keeps only the last config saved', () => {
    const storage = memoryStorage();
    saveConfigSnapshot(served(), 0, t0, storage);
    const changed = served();
    changed.providers[0]!.label = 'Renamed';
    saveConfigSnapshot(changed, 0, t0 + 1, storage);
    expect(readConfigSnapshot(t0 + 2, storage)?.config.providers[0]?.label).toBe('Renamed');
  });

  it('is usable up to the sign-in state lifetime and not after', () => {
    const storage = memoryStorage();
    saveConfigSnapshot(served(), 0, t0, storage);
    expect(readConfigSnapshot(t0 + SNAPSHOT_MAX_AGE_MS, storage)).not.toBeNull();
    expect(readConfigSnapshot(t0 + SNAPSHOT_MAX_AGE_MS + 1, storage)).toBeNull();
  });

  it('is not used when saved "in the future" (the device clock went back)', () => {
    const storage = memoryStorage();
    saveConfigSnapshot(served(), 0, t0, storage);
    expect(readConfigSnapshot(t0 - 1, storage)).toBeNull();
  });

  it('is not used when the saved file is no longer a valid config', () => {
    const storage = memoryStorage();
    const insecure = served();
    insecure.providers[0]!.issuer = 'http://idp.example.com';
    saveConfigSnapshot(insecure, 0, t0, storage);
    expect(readConfigSnapshot(t0 + 1, storage)).toBeNull();
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['no savedAt', JSON.stringify({ clockOffsetMs: 0, config: served() })],
    ['a string savedAt', JSON.stringify({ savedAt: String(t0), clockOffsetMs: 0, config: {} })],
    ['no offset', JSON.stringify({ savedAt: t0, config: served() })],
    ['no config', JSON.stringify({ savedAt: t0, clockOffsetMs: 0 })],
  ])('is not used when the stored entry has %s', (_what, text) => {
    const storage = memoryStorage();
    storage.setItem('oidc-contacts.config-snapshot', text);
    expect(readConfigSnapshot(t0 + 1, storage)).toBeNull();
  });

  it('does not fail when storage refuses to save or to read', () => {
    expect(() =>
      saveConfigSnapshot(served(), 0, t0, memoryStorage({ refuse: true })),
    ).not.toThrow();
    const unreadable = memoryStorage();
    unreadable.getItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(readConfigSnapshot(t0, unreadable)).toBeNull();
  });
});
