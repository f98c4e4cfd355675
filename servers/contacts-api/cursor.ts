// Opaque keyset-pagination cursors: the (sort key, id) of the last row served. Keyset, not
// OFFSET, so page 200 costs the same as page 1 and inserts never shift pages. The cursor
// only positions within the caller's own rows, so a forged one reveals nothing.
import { Problem } from './problem.ts';

export interface Position {
  sortKey: string;
  id: string;
}

export function encodeCursor({ sortKey, id }: Position): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    // No row's key holds U+0000 (validation.ts refuses it; PostgreSQL could not compare it).
    parsed.some((part) => (part as string).includes('\u0000'))
  ) {
    throw new Problem(400, 'The request query is not valid: cursor.', {
      errors: [{ field: 'query.cursor', message: 'is not a cursor this API gave out' }],
    });
  }
  return { sortKey: parsed[0], id: parsed[1] };
}
