// A contact's JSON, in the schema's key order. Stored with the row (column `doc`) so a
// page of 50 is 50 strings joined, with no JSON.parse or re-serialisation per request.
import type { Contact } from './schemas.ts';

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
