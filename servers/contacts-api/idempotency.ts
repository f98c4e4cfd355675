// Idempotency-Key on create (draft-ietf-httpapi-idempotency-key-header): a retried POST
// (lost response, double click, flaky network) replays the first answer instead of
// creating a duplicate. Keys are scoped per user and forgotten after a day.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Problem } from './problem.ts';
import type { Owner } from './store.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  requestHash: string;
  /** The 201 body exactly as first sent. */
  response: string;
}

export interface IdempotencyStore {
  /** The stored answer for the key, if it is younger than the TTL. */
  find(owner: Owner, key: string, now: number): StoredResponse | undefined;
  save(owner: Owner, key: string, stored: StoredResponse, now: number): void;
  /** Forgets expired keys; cheap, run at most once a minute. */
  purge(now: number): void;
}

export function createIdempotencyStore(db: Database.Database): IdempotencyStore {
  const find = db.prepare<
    [string, string, string, number],
    { request_hash: string; response: string }
  >(
    `SELECT request_hash, response FROM idempotency_key
     WHERE owner_iss = ? AND owner_sub = ? AND key = ? AND created_at > ?`,
  );
  // REPLACE: an expired row not yet purged is overwritten.
  const save = db.prepare(
    `INSERT OR REPLACE INTO idempotency_key (owner_iss, owner_sub, key, request_hash, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const purge = db.prepare('DELETE FROM idempotency_key WHERE created_at <= ?');
  let lastPurge = 0;
  return {
    find(owner, key, now) {
      const row = find.get(owner.iss, owner.sub, key, now - IDEMPOTENCY_TTL_MS);
      return row && { requestHash: row.request_hash, response: row.response };
    },
    save(owner, key, { requestHash, response }, now) {
      save.run(owner.iss, owner.sub, key, requestHash, response, now);
    },
    purge(now) {
      if (now - lastPurge < 60_000) return;
      lastPurge = now;
      purge.run(now - IDEMPOTENCY_TTL_MS);
    },
  };
}

/** The key from the header (a bare token or an RFC 8941 string), or undefined when absent. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(',') : header;
  const key = /^"(.*)"$/.exec(raw)?.[1] ?? raw;
  // Printable ASCII without quotes or commas (so two headers joined by Node are refused).
  if (!/^[\x21\x23-\x2b\x2d-\x7e]{1,255}$/.test(key)) {
    throw new Problem(400, 'The Idempotency-Key header is not valid.', {
      errors: [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }],
    });
  }
  return key;
}

/** Same key, same body: the hash of the validated body with keys in a stable order. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function keyReusedProblem(): Problem {
  return new Problem(
    422,
    'This Idempotency-Key was already used for a different request. Use a new key for a new contact.',
    { errors: [{ field: 'Idempotency-Key', message: 'was used with another body' }] },
  );
}
