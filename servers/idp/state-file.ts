// oidc-provider's stored state (sessions, grants, refresh tokens, interactions) kept in
// memory and mirrored to one JSON file in the data folder, so restarting the IdP keeps
// people signed in. The default in-memory adapter loses it all, and evicts entries past
// 1000 (an e2e run can get there). Expired entries are dropped on load and on save.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Adapter, AdapterPayload } from 'oidc-provider';

export const STATE_FILE = 'idp-state.json';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; absent = no expiry. */
  expiresAt?: number;
}

// Models that belong to a grant and die with it (as in oidc-provider's memory adapter).
const GRANT_MEMBERS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);
const WRITE_DELAY_MS = 100;

export interface StateFile {
  adapter: (model: string) => Adapter;
  /** Writes pending changes now (call before exit). */
  save(): Promise<void>;
  /** Live entries of one model, as [id, payload] (for the test controls' revocations). */
  list(model: string): [string, AdapterPayload][];
}

export async function openStateFile(file: string, log: (line: string) => void): Promise<StateFile> {
  const entries = new Map<string, Entry>(await load(file, log));
  const live = (entry: Entry | undefined) =>
    entry && (entry.expiresAt === undefined || entry.expiresAt > Date.now()) ? entry : undefined;

  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    queue = queue.then(async () => {
      if (!dirty) return;
      dirty = false;
      for (const [key, entry] of entries) if (!live(entry)) entries.delete(key);
      const snapshot = [...entries];
      try {
        // Write then rename, so a crash never leaves half a file.
        await writeFile(`${file}.tmp`, JSON.stringify(snapshot), { mode: 0o600 });
        await rename(`${file}.tmp`, file);
      } catch (error) {
        log(`cannot save ${file}: ${String(error)}`);
      }
    });
    return queue;
  };
  const changed = () => {
    dirty = true;
    timer ??= setTimeout(save, WRITE_DELAY_MS).unref();
  };
  const findWhere = (model: string, match: (payload: AdapterPayload) => boolean) => {
    for (const [key, entry] of entries) {
      if (key.startsWith(`${model}:`) && live(entry) && match(entry.payload)) return entry.payload;
    }
    return undefined;
  };

  const adapter = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
      entries.set(`${model}:${id}`, { payload, expiresAt });
      changed();
    },
    async find(id) {
      return live(entries.get(`${model}:${id}`))?.payload;
    },
    async findByUid(uid) {
      return findWhere(model, (payload) => payload.uid === uid);
    },
    async findByUserCode(userCode) {
      return findWhere(model, (payload) => payload.userCode === userCode);
    },
    async consume(id) {
      const entry = live(entries.get(`${model}:${id}`));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      changed();
    },
    async destroy(id) {
      entries.delete(`${model}:${id}`);
      changed();
    },
    async revokeByGrantId(grantId) {
      for (const [key, entry] of entries) {
        const [member = ''] = key.split(':', 1);
        if (GRANT_MEMBERS.has(member) && entry.payload.grantId === grantId) entries.delete(key);
      }
      changed();
    },
  });

  const list = (model: string): [string, AdapterPayload][] =>
    [...entries]
      .filter(([key, entry]) => key.startsWith(`${model}:`) && live(entry))
      .map(([key, entry]) => [key.slice(model.length + 1), entry.payload]);

  return { adapter, save, list };
}

async function load(file: string, log: (line: string) => void): Promise<[string, Entry][]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not an array');
    const now = Date.now();
    return value.filter(
      (item): item is [string, Entry] =>
        Array.isArray(item) &&
        typeof item[0] === 'string' &&
        typeof item[1]?.payload === 'object' &&
        (item[1].expiresAt === undefined || item[1].expiresAt > now),
    );
  } catch (error) {
    // The state is disposable: start afresh rather than refuse to start.
    log(`ignoring unreadable ${file} (${String(error)}); everyone signs in again`);
    return [];
  }
}
