// Contacts in SQLite. Every function takes the owner, the (issuer, subject) pair of the
// access token, so no query can reach another user's rows.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { contactJson, DOC_BOUNDARY } from './contact-json.ts';
import type { Position } from './cursor.ts';
import { prefixKey, searchColumn, searchPrefixes, sortKey } from './fold.ts';
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
  /** The same page as the HTTP answer needs it: stored JSON bytes (see JsonPage). */
  listContactsJson(owner: Owner, options: ListOptions): JsonPage;
  getContact(owner: Owner, id: string): Contact | undefined;
  createContact(owner: Owner, input: ContactInput): Contact;
  /** Replaces every field of `current` and bumps its version. */
  replaceContact(owner: Owner, current: Contact, input: ContactInput): Contact;
  deleteContact(owner: Owner, id: string): boolean;
  countContacts(owner: Owner): number;
  /**
   * The owner's number and list version (migration v4: bumped by every write of one of the
   * owner's contacts, in any process); undefined for an owner who never had a contact.
   */
  listVersion(owner: Owner): ListVersion | undefined;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE). */
  transaction<T>(fn: () => T): T;
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

export interface ListVersion {
  ownerId: number;
  version: number;
}

export interface JsonPage {
  /** The page's stored JSON documents (contact-json.ts), comma-separated, UTF-8; empty if none. */
  items: Buffer;
  next: Position | null;
}

const COLUMNS =
  'id, sort_key, name, emails, phones, company, notes, version, created_at, updated_at';

/**
 * A page in name order, as one value: its `doc`s joined by commas, cast to a BLOB, plus the
 * row count. One BLOB instead of 51 strings saves decoding every document into a JS string
 * (and encoding it back for the socket): ≈ 65 → 20 µs for a page of 50 (BENCHMARKS.md).
 * IMPORTANT: group_concat takes the rows in the order the subquery yields them (its ORDER BY
 * is walked on the primary key or prefix index, no sorter): store.test.ts checks the order
 * page by page, so an SQLite upgrade that changed this would fail there, not in production.
 */
function pageSql(termCount: number, hasCursor: boolean): string {
  return `SELECT CAST(group_concat(doc, ',') AS BLOB) AS items, count(*) AS count
    FROM (${listSql(termCount, hasCursor)})`;
}

/**
 * The rows of a page in name order. Without terms: one range seek on the primary key. With terms: a
 * range seek on the prefix index (owner, first letters of the longest term) in name order,
 * each candidate checked against every full term on its row, stopping at the page size.
 * Parameters: iss, sub, [iss, sub, prefix], [cursor sort key, id], ...terms, limit.
 * IMPORTANT: `LIMIT CAST(? AS INTEGER)`, not `LIMIT ?`: SQLite (3.4x, STAT4 build) lets a bare
 * `LIMIT ?` value steer the plan, so every new binding re-prepares the statement: ~15 µs of
 * SQL parsing per request, measured (BENCHMARKS.md). An expression keeps the plan fixed.
 */
function listSql(termCount: number, hasCursor: boolean): string {
  if (termCount === 0) {
    const seek = hasCursor ? ' AND (sort_key, id) > (?, ?)' : '';
    return `SELECT doc FROM contact WHERE owner_iss = ? AND owner_sub = ?${seek}
      ORDER BY sort_key, id LIMIT CAST(? AS INTEGER)`;
  }
  const seek = hasCursor ? ' AND (p.sort_key, p.id) > (?, ?)' : '';
  const match = ' AND instr(c.search, ?) > 0'.repeat(termCount);
  return `SELECT c.doc FROM contact_prefix p
    JOIN contact c ON c.owner_iss = ? AND c.owner_sub = ? AND c.sort_key = p.sort_key AND c.id = p.id
    WHERE p.owner = (SELECT id FROM search_owner WHERE owner_iss = ? AND owner_sub = ?)
      AND p.prefix = ?${seek}${match}
    ORDER BY p.sort_key, p.id LIMIT CAST(? AS INTEGER)`;
}

const EMPTY = Buffer.alloc(0);

export function createContactStore(db: Database.Database): ContactStore {
  // One prepared statement per shape (number of terms × cursor or not), made on first use.
  // Each answers only the joined `doc`s: the cursor of a full page is looked up once, below,
  // instead of reading two more columns for every row.
  type PageRow = { items: Buffer | null; count: number };
  const pageStatements = new Map<string, Database.Statement<unknown[], PageRow>>();
  const pageStatement = (termCount: number, hasCursor: boolean) => {
    const cacheKey = `${termCount}:${hasCursor}`;
    let statement = pageStatements.get(cacheKey);
    if (!statement) {
      statement = db.prepare<unknown[], PageRow>(pageSql(termCount, hasCursor));
      pageStatements.set(cacheKey, statement);
    }
    return statement;
  };
  const position = db.prepare<[string, string, string], Position>(
    'SELECT sort_key AS sortKey, id FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?',
  );
  const page = (owner: Owner, { terms, after, limit }: ListOptions): JsonPage => {
    const params: unknown[] = [owner.iss, owner.sub];
    if (terms.length > 0) {
      // The longest term is the most selective one to drive the prefix index with.
      const driver = terms.reduce((a, b) => (b.length > a.length ? b : a));
      params.push(owner.iss, owner.sub, prefixKey(driver));
    }
    if (after) params.push(after.sortKey, after.id);
    params.push(...terms, limit + 1); // one extra row says whether there is a next page
    const row = pageStatement(terms.length, after !== undefined).get(...params);
    const all = row?.items ?? EMPTY;
    if ((row?.count ?? 0) <= limit) return { items: all, next: null };
    // Drop the extra row; the last one kept positions the next page.
    const items = all.subarray(0, all.lastIndexOf(DOC_BOUNDARY));
    const lastStart = items.lastIndexOf(DOC_BOUNDARY) + 1; // 0 when the page holds one
    const { id } = JSON.parse(items.toString('utf8', lastStart)) as { id: string };
    return { items, next: position.get(id, owner.iss, owner.sub) ?? null };
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

  const listVersion = db.prepare<[string, string], ListVersion>(
    `SELECT id AS ownerId, list_version AS version FROM search_owner
     WHERE owner_iss = ? AND owner_sub = ?`,
  );

  // The prefix index (migration v3) changes with its row, in the same transaction.
  const addOwner = db.prepare(
    'INSERT INTO search_owner (owner_iss, owner_sub) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const addPrefixes = db.prepare(
    `INSERT INTO contact_prefix (owner, prefix, sort_key, id)
     SELECT o.id, p.value, ?, ? FROM search_owner o, json_each(?) p
     WHERE o.owner_iss = ? AND o.owner_sub = ?`,
  );
  // By the stored search column and sort key, so exactly the rows once added go.
  const indexed = db.prepare<[string, string, string], { sort_key: string; search: string }>(
    'SELECT sort_key, search FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?',
  );
  const removePrefixes = db.prepare(
    `DELETE FROM contact_prefix
     WHERE owner = (SELECT id FROM search_owner WHERE owner_iss = ? AND owner_sub = ?)
       AND prefix IN (SELECT value FROM json_each(?)) AND sort_key = ? AND id = ?`,
  );
  const unindex = (owner: Owner, id: string) => {
    const row = indexed.get(id, owner.iss, owner.sub);
    if (!row) return;
    const prefixes = JSON.stringify(searchPrefixes(row.search));
    removePrefixes.run(owner.iss, owner.sub, prefixes, row.sort_key, id);
  };

  const write = (statement: Database.Statement, owner: Owner, contact: Contact) => {
    const search = searchColumn(contact);
    const key = sortKey(contact.name);
    statement.run({
      ...contact,
      iss: owner.iss,
      sub: owner.sub,
      sortKey: key,
      emails: JSON.stringify(contact.emails),
      phones: JSON.stringify(contact.phones),
      search,
      doc: contactJson(contact),
    });
    addOwner.run(owner.iss, owner.sub);
    addPrefixes.run(key, contact.id, JSON.stringify(searchPrefixes(search)), owner.iss, owner.sub);
  };
  // A savepoint inside the caller's transaction, or a transaction of its own. IMMEDIATE: a
  // read-then-write transaction started deferred fails at once with SQLITE_BUSY when another
  // connection (the seed script) committed in between; immediate ones wait their turn.
  const atomic = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const transaction = db.transaction(fn);
    return (...args: A): R => transaction.immediate(...args);
  };
  const create = atomic((owner: Owner, contact: Contact) => write(insert, owner, contact));
  const replace = atomic((owner: Owner, contact: Contact) => {
    unindex(owner, contact.id);
    write(update, owner, contact);
  });
  const removeContact = atomic((owner: Owner, id: string) => {
    unindex(owner, id);
    return remove.run(id, owner.iss, owner.sub).changes > 0;
  });

  return {
    listContacts(owner, options) {
      const { items, next } = page(owner, options);
      return { items: JSON.parse(`[${items.toString('utf8')}]`) as Contact[], next };
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
      create(owner, contact);
      return contact;
    },
    replaceContact(owner, current, input) {
      const contact: Contact = {
        ...current,
        ...fields(input),
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      replace(owner, contact);
      return contact;
    },
    deleteContact: (owner, id) => removeContact(owner, id),
    countContacts: (owner) => count.get(owner.iss, owner.sub)?.n ?? 0,
    listVersion: (owner) => listVersion.get(owner.iss, owner.sub),
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
