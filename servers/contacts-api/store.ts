// Contacts in SQLite. Every function takes the owner, the (issuer, subject) pair of the
// access token, so no query can reach another user's rows.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { contactJson } from './contact-json.ts';
import type { Position } from './cursor.ts';
import { searchColumn, sortKey } from './fold.ts';
import type { Contact, ContactInput } from './schemas.ts';

export interface Owner {
  iss: string;
  sub: string;
}

export interface ListOptions {
  /** Folded, space-prefixed terms (fold.ts searchTerms); all must match. */
  terms: readonly string[];
  after: Position | undefined;
  limit: number;
}

export interface ContactStore {
  /** One page of the owner's contacts in name order (accents and case ignored), then id. */
  listContacts(owner: Owner, options: ListOptions): { items: Contact[]; next: Position | null };
  /** The same page as stored JSON texts (contact-json.ts), for the HTTP answer. */
  listContactsJson(owner: Owner, options: ListOptions): { docs: string[]; next: Position | null };
  getContact(owner: Owner, id: string): Contact | undefined;
  createContact(owner: Owner, input: ContactInput): Contact;
  /** Replaces every field of `current` and bumps its version. */
  replaceContact(owner: Owner, current: Contact, input: ContactInput): Contact;
  deleteContact(owner: Owner, id: string): boolean;
  countContacts(owner: Owner): number;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE). */
  transaction<T>(fn: () => T): T;
}

interface PageRow {
  sort_key: string;
  id: string;
  doc: string;
}

interface Row {
  id: string;
  sort_key: string;
  name: string;
  emails: string;
  phones: string;
  company: string | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, sort_key, name, emails, phones, company, notes, version, created_at, updated_at';

export function createContactStore(db: Database.Database): ContactStore {
  // One prepared statement per shape (number of terms × cursor or not), made on first use.
  const listStatements = new Map<string, Database.Statement<unknown[], PageRow>>();
  const listStatement = (termCount: number, hasCursor: boolean) => {
    const cacheKey = `${termCount}:${hasCursor}`;
    let statement = listStatements.get(cacheKey);
    if (!statement) {
      const where = ['owner_iss = ?', 'owner_sub = ?'];
      if (hasCursor) where.push('(sort_key, id) > (?, ?)');
      for (let i = 0; i < termCount; i += 1) where.push('instr(search, ?) > 0');
      const filter = `WHERE ${where.join(' AND ')} ORDER BY sort_key, id LIMIT ?`;
      statement = db.prepare(
        termCount === 0
          ? `SELECT sort_key, id, doc FROM contact ${filter}`
          : // Match on the narrow index first, then read only the hits' documents.
            `WITH hits AS (SELECT owner_iss, owner_sub, sort_key, id FROM contact
               INDEXED BY contact_search ${filter})
             SELECT c.sort_key, c.id, c.doc FROM hits JOIN contact c USING (owner_iss, owner_sub, sort_key, id)
             ORDER BY c.sort_key, c.id`,
      );
      listStatements.set(cacheKey, statement);
    }
    return statement;
  };
  const page = (owner: Owner, { terms, after, limit }: ListOptions) => {
    const params: unknown[] = [owner.iss, owner.sub];
    if (after) params.push(after.sortKey, after.id);
    params.push(...terms, limit + 1); // one extra row says whether there is a next page
    const rows = listStatement(terms.length, after !== undefined).all(...params);
    const last = rows[limit - 1];
    const next = rows.length > limit && last ? { sortKey: last.sort_key, id: last.id } : null;
    return { docs: rows.slice(0, limit).map((row) => row.doc), next };
  };
  const get = db.prepare<[string, string, string], Row>(
    `SELECT ${COLUMNS} FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO contact (owner_iss, owner_sub, sort_key, id, name, emails, phones, company,
       notes, search, version, created_at, updated_at, doc)
     VALUES (@iss, @sub, @sortKey, @id, @name, @emails, @phones, @company, @notes, @search,
       @version, @createdAt, @updatedAt, @doc)`,
  );
  const update = db.prepare(
    `UPDATE contact SET sort_key = @sortKey, name = @name, emails = @emails, phones = @phones,
       company = @company, notes = @notes, search = @search, version = @version,
       updated_at = @updatedAt, doc = @doc
     WHERE id = @id AND owner_iss = @iss AND owner_sub = @sub`,
  );
  const remove = db.prepare('DELETE FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?');
  const count = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM contact WHERE owner_iss = ? AND owner_sub = ?',
  );

  const write = (statement: Database.Statement, owner: Owner, contact: Contact) =>
    statement.run({
      ...contact,
      iss: owner.iss,
      sub: owner.sub,
      sortKey: sortKey(contact.name),
      emails: JSON.stringify(contact.emails),
      phones: JSON.stringify(contact.phones),
      search: searchColumn(contact),
      doc: contactJson(contact),
    });

  return {
    listContacts(owner, options) {
      const { docs, next } = page(owner, options);
      return { items: docs.map((doc) => JSON.parse(doc) as Contact), next };
    },
    listContactsJson: page,
    getContact(owner, id) {
      const row = get.get(id, owner.iss, owner.sub);
      return row && toContact(row);
    },
    createContact(owner, input) {
      const now = new Date().toISOString();
      const contact: Contact = {
        id: randomUUID(),
        ...fields(input),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      write(insert, owner, contact);
      return contact;
    },
    replaceContact(owner, current, input) {
      const contact: Contact = {
        ...current,
        ...fields(input),
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      write(update, owner, contact);
      return contact;
    },
    deleteContact: (owner, id) => remove.run(id, owner.iss, owner.sub).changes > 0,
    countContacts: (owner) => count.get(owner.iss, owner.sub)?.n ?? 0,
    transaction: (fn) => db.transaction(fn).immediate(),
  };
}

/** PUT semantics: an absent optional field is cleared, not kept. */
function fields(input: ContactInput) {
  return {
    name: input.name,
    emails: input.emails ?? [],
    phones: input.phones ?? [],
    company: input.company ?? null,
    notes: input.notes ?? null,
  };
}

function toContact(row: Row): Contact {
  return {
    id: row.id,
    name: row.name,
    emails: JSON.parse(row.emails) as string[],
    phones: JSON.parse(row.phones) as string[],
    company: row.company,
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
