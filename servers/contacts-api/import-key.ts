// The import key: what makes importing the same file twice, days apart, create nothing the
// second time. Idempotency keys cannot do it (they are forgotten after a day, and a new
// import sends new ones), so each imported contact keeps the key of what it was imported
// from, unique per owner (migrations: SQLite v6, PostgreSQL v3), and an item whose key the
// owner already has is reported as a duplicate of that contact instead of written again.
// The key is the hash of the contact as imported, normalised so that what a program changes
// between two exports of the same card (spacing, line endings, the order of emails and
// phones, an email's case, a phone's punctuation) does not make it a new one. Edits made
// after the import do not change the key: a re-import never brings back an old version.
// IMPORTANT: any change here changes every key, and a re-import after it would duplicate.
import { createHash } from 'node:crypto';
import type { ContactInput } from './schemas.ts';

const words = (text: string) => text.normalize('NFC').trim().replace(/\s+/gu, ' ');
const sorted = (items: string[]) => [...new Set(items)].sort();

export function importKeyOf(input: ContactInput): string {
  const normalised = [
    words(input.name),
    sorted((input.emails ?? []).map((email) => words(email).toLowerCase())),
    sorted((input.phones ?? []).map((phone) => phone.replace(/[^0-9+x]/g, ''))),
    words(input.company ?? ''),
    (input.notes ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim(),
  ];
  return createHash('sha256').update(JSON.stringify(normalised)).digest('base64url');
}
