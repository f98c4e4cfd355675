// Idempotency-Key on create (draft-ietf-httpapi-idempotency-key-header): a retried POST
// (lost response, double click, flaky network) replays the first answer instead of
// creating a duplicate. Keys are scoped per user and forgotten after a day; each store
// (store/) keeps them with the contacts, so the key and its contact commit together.
import { createHash } from 'node:crypto';
import { Problem } from './problem.ts';

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
