// A contact's JSON, in the schema's key order. Stored with the row (column `doc`) so a
// page of 50 is the stored bytes joined, with no JSON.parse or re-serialisation per request.
import type { Contact } from './schemas.ts';

/**
 * Where one document ends and the next begins in a comma-joined page. Every document starts
 * with `{"id":` and holds no nested object, and a `"` inside a JSON string is always escaped
 * (`\"`), so `,{"id":` can only be the structural start of the next document.
 */
export const DOC_BOUNDARY = ',{"id":';

export function contactJson(c: Contact): string {
  return JSON.stringify({
    id: c.id,
    name: c.name,
    emails: c.emails,
    phones: c.phones,
    company: c.company,
    notes: c.notes,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
}
