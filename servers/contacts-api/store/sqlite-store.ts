// The contact store on SQLite (store.ts), the embedded default: one file, synchronous
// better-sqlite3 calls behind the asynchronous interface. Each write runs in one IMMEDIATE
// transaction, and SQLite has one writer at a time, so a read-then-write inside it is atomic.
// Over 200 lines on purpose: this engine's whole SQL for the store, in one place.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { contactJson, DOC_BOUNDARY } from '../contact-json.ts';
import type { Position } from '../cursor.ts';
import { prefixKey, searchColumn, searchPrefixes, sortKey } from '../fold.ts';
import type { Contact } from '../schemas.ts';
import {
  CONTACT_COLUMNS,
  type ContactRow,
  type ContactStore,
  DEFAULT_QUOTAS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyKey,
  type IdempotentCreate,
  type ImportItem,
  type ImportOutcome,
  type JsonPage,
  type ListOptions,
  type ListVersion,
  newContact,
  type Owner,
  QuotaExceededError,
  replacedContact,
  type StoreQuotas,
  toContact,
} from './store.ts';

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

export function createSqliteStore(
  db: Database.Database,
  { quotas = DEFAULT_QUOTAS }: { quotas?: StoreQuotas } = {},
): ContactStore {
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
  const get = db.prepare<[string, string, string], ContactRow>(
    `SELECT ${CONTACT_COLUMNS} FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO contact (owner_iss, owner_sub, sort_key, id, name, emails, phones, company,
       notes, search, version, created_at, updated_at, doc, import_key)
     VALUES (@iss, @sub, @sortKey, @id, @name, @emails, @phones, @company, @notes, @search,
       @version, @createdAt, @updatedAt, @doc, @importKey)`,
  );
  const update = db.prepare(
    `UPDATE contact SET sort_key = @sortKey, name = @name, emails = @emails, phones = @phones,
       company = @company, notes = @notes, search = @search, version = @version,
       updated_at = @updatedAt, doc = @doc
     WHERE id = @id AND owner_iss = @iss AND owner_sub = @sub`,
  );
  const storedVersion = db.prepare<[string, string, string], { version: number }>(
    'SELECT version FROM contact WHERE id = ? AND owner_iss = ? AND owner_sub = ?',
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

  const findKey = db.prepare<
    [string, string, string, number],
    { request_hash: string; response: string }
  >(
    `SELECT request_hash, response FROM idempotency_key
     WHERE owner_iss = ? AND owner_sub = ? AND key = ? AND created_at > ?`,
  );
  // REPLACE: an expired row not yet purged is overwritten.
  const saveKey = db.prepare(
    `INSERT OR REPLACE INTO idempotency_key (owner_iss, owner_sub, key, request_hash, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const purgeKeys = db.prepare('DELETE FROM idempotency_key WHERE created_at <= ?');
  let lastPurge = 0;

  // Quotas, read inside the IMMEDIATE transaction of the write: SQLite has one writer at a
  // time, so the check and the insert cannot be split by another create (exact, no overshoot).
  const contactCount = db.prepare<[string, string], { n: number }>(
    'SELECT contact_count AS n FROM search_owner WHERE owner_iss = ? AND owner_sub = ?',
  );
  // At most `limit` rows are counted: the cost stays bounded for a user at the quota.
  const liveKeys = db.prepare<[string, string, number, number], { n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM idempotency_key
       WHERE owner_iss = ? AND owner_sub = ? AND created_at > ? LIMIT CAST(? AS INTEGER))`,
  );
  const requireRoomForContact = (owner: Owner) => {
    const n = contactCount.get(owner.iss, owner.sub)?.n ?? 0;
    if (n >= quotas.contacts) throw new QuotaExceededError('contacts', quotas.contacts);
  };
  const requireRoomForKey = (owner: Owner, now: number) => {
    const limit = quotas.idempotencyKeys;
    const n = liveKeys.get(owner.iss, owner.sub, now - IDEMPOTENCY_TTL_MS, limit)?.n ?? 0;
    if (n >= limit) throw new QuotaExceededError('idempotencyKeys', limit);
  };

  const write = (
    statement: Database.Statement,
    owner: Owner,
    contact: Contact,
    importKey: string | null = null,
  ) => {
    const search = searchColumn(contact);
    const key = sortKey(contact.name);
    // The update statement has no @importKey: an imported contact keeps its key when edited.
    const extra = statement === insert ? { importKey } : {};
    statement.run({
      ...contact,
      ...extra,
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
  const created = (
    owner: Owner,
    input: Parameters<ContactStore['createContact']>[1],
    importKey: string | null = null,
  ) => {
    const contact = newContact(randomUUID(), input, new Date().toISOString());
    write(insert, owner, contact, importKey);
    return contact;
  };
  const imported = db.prepare<[string, string, string], { id: string }>(
    'SELECT id FROM contact WHERE owner_iss = ? AND owner_sub = ? AND import_key = ?',
  );
  // IMMEDIATE: a read-then-write transaction started deferred fails at once with SQLITE_BUSY
  // when another connection (a worker, the seed script) committed in between; immediate ones
  // wait their turn, so the read and the write see the same database.
  const atomic = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const transaction = db.transaction(fn);
    return (...args: A): R => transaction.immediate(...args);
  };
  const createOne = atomic((owner: Owner, input: Parameters<ContactStore['createContact']>[1]) => {
    requireRoomForContact(owner);
    return created(owner, input);
  });
  const createMany = atomic(
    (owner: Owner, inputs: Parameters<ContactStore['createContacts']>[1], onlyIfEmpty: boolean) => {
      if (onlyIfEmpty && (count.get(owner.iss, owner.sub)?.n ?? 0) > 0) return 0;
      for (const input of inputs) created(owner, input);
      return inputs.length;
    },
  );
  /** The stored answer for `key`, or undefined when it is new (then room for it is checked). */
  const storedAnswer = (owner: Owner, key: IdempotencyKey): IdempotentCreate | undefined => {
    if (key.now - lastPurge >= 60_000) {
      lastPurge = key.now; // cheap, but at most once a minute
      purgeKeys.run(key.now - IDEMPOTENCY_TTL_MS);
    }
    const stored = findKey.get(owner.iss, owner.sub, key.key, key.now - IDEMPOTENCY_TTL_MS);
    if (stored) {
      if (stored.request_hash !== key.requestHash) return { outcome: 'key-reused' };
      return { outcome: 'replayed', body: stored.response };
    }
    requireRoomForKey(owner, key.now);
    return undefined;
  };
  const createOnce = atomic(
    (owner: Owner, input: Parameters<ContactStore['createContact']>[1], key: IdempotencyKey) => {
      const stored = storedAnswer(owner, key);
      if (stored) return stored;
      requireRoomForContact(owner);
      const body = JSON.stringify(created(owner, input));
      saveKey.run(owner.iss, owner.sub, key.key, key.requestHash, body, key.now);
      return { outcome: 'created', body } as const;
    },
  );
  const importMany = atomic(
    (
      owner: Owner,
      items: readonly ImportItem[],
      key: IdempotencyKey,
      render: (outcomes: ImportOutcome[]) => string,
    ): IdempotentCreate => {
      const stored = storedAnswer(owner, key);
      if (stored) return stored;
      // Import key → the owner's contact with it, or undefined: new (in this batch, the first).
      const ids = new Map<string, string | undefined>();
      let fresh = 0;
      for (const { importKey } of items) {
        if (ids.has(importKey)) continue;
        const id = imported.get(owner.iss, owner.sub, importKey)?.id;
        ids.set(importKey, id);
        if (id === undefined) fresh += 1;
      }
      // All or nothing: the quota is checked for the whole batch before anything is written.
      const held = contactCount.get(owner.iss, owner.sub)?.n ?? 0;
      if (held + fresh > quotas.contacts) {
        throw new QuotaExceededError('contacts', quotas.contacts);
      }
      const outcomes = items.map((item): ImportOutcome => {
        const id = ids.get(item.importKey);
        if (id !== undefined) return { status: 'duplicate', id };
        const contact = created(owner, item.input, item.importKey);
        ids.set(item.importKey, contact.id);
        return { status: 'created', contact };
      });
      const body = render(outcomes);
      saveKey.run(owner.iss, owner.sub, key.key, key.requestHash, body, key.now);
      return { outcome: 'created', body };
    },
  );
  const isAt = (owner: Owner, id: string, version: number) =>
    storedVersion.get(id, owner.iss, owner.sub)?.version === version;
  const replace = atomic((owner: Owner, current: Contact, contact: Contact) => {
    if (!isAt(owner, current.id, current.version)) return false;
    unindex(owner, contact.id);
    write(update, owner, contact);
    return true;
  });
  const removeContact = atomic((owner: Owner, id: string, version: number) => {
    if (!isAt(owner, id, version)) return false;
    unindex(owner, id);
    return remove.run(id, owner.iss, owner.sub).changes > 0;
  });
  const ping = db.prepare('SELECT 1');

  return {
    async listContacts(owner, options) {
      const { items, next } = page(owner, options);
      return { items: JSON.parse(`[${items.toString('utf8')}]`) as Contact[], next };
    },
    listContactsJson: async (owner, options) => page(owner, options),
    async getContact(owner, id) {
      const row = get.get(id, owner.iss, owner.sub);
      return row && toContact(row);
    },
    createContact: async (owner, input) => createOne(owner, input),
    createContactOnce: async (owner, input, key) => createOnce(owner, input, key),
    importContacts: async (owner, items, key, render) => importMany(owner, items, key, render),
    createContacts: async (owner, inputs, options) =>
      createMany(owner, inputs, options?.onlyIfEmpty ?? false),
    async replaceContact(owner, current, input) {
      const contact = replacedContact(current, input, new Date().toISOString());
      return replace(owner, current, contact) ? contact : undefined;
    },
    deleteContact: async (owner, id, version) => removeContact(owner, id, version),
    countContacts: async (owner) => count.get(owner.iss, owner.sub)?.n ?? 0,
    listVersion: async (owner) => listVersion.get(owner.iss, owner.sub),
    async ping() {
      ping.get();
    },
    async close() {
      db.close();
    },
  };
}
