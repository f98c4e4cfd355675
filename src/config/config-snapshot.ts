// The config as this tab last loaded it, for the callback page to finish a sign-in with:
// the code exchange then need not wait for /config.json (one sequential request fewer),
// and the callback is handled with the providers the sign-in started with. Per tab, like
// the discovery cache (auth/provider/metadata-cache.ts).
import { parseAppConfig } from './app-config.ts';
import type { LoadedConfig } from './load-config.ts';

const snapshotKey = 'oidc-contacts.config-snapshot';

/** As long as oidc-client-ts keeps a sign-in's state (its staleStateAgeInSeconds). */
export const SNAPSHOT_MAX_AGE_MS = 15 * 60 * 1000;

interface StoredSnapshot {
  savedAt: number;
  clockOffsetMs: number;
  /** The file as served; parsed again when read, so the stored text is never trusted. */
  config: unknown;
}

/** Remembers a config loaded from /config.json. Storage that refuses is not an error. */
export function saveConfigSnapshot(
  raw: unknown,
  clockOffsetMs: number,
  now = Date.now(),
  storage: Storage = sessionStorage,
): void {
  const snapshot: StoredSnapshot = { savedAt: now, clockOffsetMs, config: raw };
  try {
    storage.setItem(snapshotKey, JSON.stringify(snapshot));
  } catch {
    // Full or disabled storage: the callback loads /config.json, as any other page does.
  }
}

/** The last saved config if it is recent and still valid; null otherwise. */
export function readConfigSnapshot(
  now = Date.now(),
  storage: Storage = sessionStorage,
): LoadedConfig | null {
  try {
    const text = storage.getItem(snapshotKey);
    if (text === null) return null;
    const stored = JSON.parse(text) as Partial<StoredSnapshot> | null;
    const { savedAt, clockOffsetMs } = stored ?? {};
    if (typeof savedAt !== 'number' || typeof clockOffsetMs !== 'number') return null;
    if (!Number.isFinite(clockOffsetMs)) return null;
    // Saved in the future: the device clock went back since; its age is unknown.
    if (savedAt > now || now - savedAt > SNAPSHOT_MAX_AGE_MS) return null;
    return { config: parseAppConfig(stored?.config), raw: stored?.config, clockOffsetMs };
  } catch {
    return null; // unreadable or no longer valid: load /config.json instead
  }
}
