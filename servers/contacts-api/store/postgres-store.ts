// The contact store on PostgreSQL (store.ts), for several API replicas on one database.
// IMPORTANT: at READ COMMITTED (the default) a "read, check, then write" inside one
// transaction is not atomic across connections, so every guard is one statement the
// database arbitrates: the idempotency key is claimed with INSERT ... ON CONFLICT on its
// primary key, and a replace or delete carries `AND version = $n`.
// Over 200 lines on purpose: this engine's whole SQL for the store, in one place.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { contactJson } from '../contact-json.ts';
import type { Position } from '../cursor.ts';
import { prefixKey, searchColumn, sortKey } from '../fold.ts';
import type { Contact, ContactInput } from '../schemas.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';
import { migratePostgres } from './postgres-migrations.ts';
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
  newContact,
  type Owner,
  QuotaExceededError,
  replacedContact,
  type StoreQuotas,
  toContact,
} from './store.ts';
import { batchPerTurn } from './turn-batch.ts';

type Queryable = Pick<pg.Pool, 'query'>;

/** DATABASE_TIMEOUT_MS: the longest any step of a request may wait for PostgreSQL. */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5_000;

/** Opens a pool on `url`, migrates (under the advisory lock), and owns the pool. */
export async function openPostgresStore(
  url: string,
  {
    max = 10,
    quotas,
    timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS,
  }: {
    max?: number | undefined;
    quotas?: StoreQuotas | undefined;
    timeoutMs?: number | undefined;
  } = {},
): Promise<ContactStore> {
  const pool = new pg.Pool({ connectionString: url, max, ...poolTimeouts(timeoutMs) });
  // An idle client whose connection dropped (server restart) is discarded by the pool; without
  // a listener the 'error' event would end the process. The next query reports a real outage.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return createPostgresStore(pool, { ownsPool: true, quotas });
}

/**
 * A page: the owner's rows in name order, one more than asked to know whether there is a next
 * page. With terms (as on SQLite): a walk of the prefix table (postgres-migrations.ts) on the
 * first letters of the longest term, in name order, each candidate checked against every
 * full term on its row, stopping at the page size.
 */
function pageQuery(owner: Owner, { terms, after, limit }: ListOptions) {
  const values: unknown[] = [owner.iss, owner.sub, limit + 1];
  const $ = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (terms.length === 0) {
    const seek = after ? ` AND (sort_key, id) > (${$(after.sortKey)}, ${$(after.id)})` : '';
    const text = `SELECT doc, sort_key, id FROM contact
      WHERE owner_iss = $1 AND owner_sub = $2${seek} ORDER BY sort_key, id LIMIT $3`;
    return { text, values };
  }
  // The longest term is the most selective one to drive the prefix walk with.
  const driver = terms.reduce((a, b) => (b.length > a.length ? b : a));
  const prefix = $(prefixKey(driver));
  const seek = after ? ` AND (p.sort_key, p.id) > (${$(after.sortKey)}, ${$(after.id)})` : '';
  const match = terms.map((term) => ` AND strpos(c.search, ${$(term)}) > 0`).join('');
  // IMPORTANT: the row is fetched by a scalar subquery per prefix entry, not a join: with a
  // join the planner (misjudging how many rows the terms keep) hashes all of the prefix's
  // rows and sorts them (≈ 150 ms for 'exa' at 10,000 contacts, measured); this way it walks
  // the prefix table's primary key in name order and stops after the page (< 1 ms warm).
  const text = `SELECT doc, sort_key, id FROM (
      SELECT p.sort_key, p.id, (SELECT c.doc FROM contact c
        WHERE c.owner_iss = $1 AND c.owner_sub = $2 AND c.sort_key = p.sort_key AND c.id = p.id${match}
      ) AS doc
      FROM contact_prefix p
      WHERE p.owner = (SELECT id FROM search_owner WHERE owner_iss = $1 AND owner_sub = $2)
        AND p.prefix = ${prefix}${seek}
    ) page
    WHERE doc IS NOT NULL ORDER BY sort_key, id LIMIT $3`;
  return { text, values };
}

const ownerKey = (owner: Owner) => `${owner.iss}\u0000${owner.sub}`;

/**
 * Every list and search asks its owner's list version, cached page or not: the requests of
 * one event-loop turn ask in one query (turn-batch.ts), a named (prepared) statement, so each
 * connection parses and plans it once. Needs session pooling if a pooler sits in between (not
 * PgBouncer's transaction mode before 1.21).
 */
function listVersionOf(pool: Queryable): ContactStore['listVersion'] {
  return batchPerTurn(ownerKey, async (owners) => {
    // float8: bigint arrives as a string; a double holds any count this will reach exactly.
    const { rows } = await pool.query<{
      iss: string;
      sub: string;
      ownerId: number;
      version: number;
    }>({
      name: 'contacts-list-versions',
      text: `SELECT o.owner_iss AS iss, o.owner_sub AS sub, o.id::float8 AS "ownerId",
          o.list_version::float8 AS version
        FROM unnest($1::text[], $2::text[]) AS k(iss, sub)
        JOIN search_owner o ON o.owner_iss = k.iss AND o.owner_sub = k.sub`,
      values: [owners.map((o) => o.iss), owners.map((o) => o.sub)],
    });
    return new Map(
      rows.map(({ iss, sub, ownerId, version }) => [ownerKey({ iss, sub }), { ownerId, version }]),
    );
  });
}

/** Inserts contacts of one owner in one statement (arrays unnested row by row). */
const INSERT = `INSERT INTO contact (owner_iss, owner_sub, sort_key, id, name, emails, phones,
    company, notes, search, version, created_at, updated_at, doc, import_key)
  SELECT $1, $2, r.sort_key, r.id, r.name, r.emails, r.phones, r.company, r.notes, r.search,
    1, r.created_at, r.created_at, r.doc, r.import_key
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::text[], $13::text[])
    AS r(sort_key, id, name, emails, phones, company, notes, search, created_at, doc, import_key)`;

function insertParams(
  owner: Owner,
  contacts: readonly Contact[],
  importKeys: readonly (string | null)[],
): unknown[] {
  const column = (f: (c: Contact) => string | null) => contacts.map(f);
  return [
    owner.iss,
    owner.sub,
    column((c) => sortKey(c.name)),
    column((c) => c.id),
    column((c) => c.name),
    column((c) => JSON.stringify(c.emails)),
    column((c) => JSON.stringify(c.phones)),
    column((c) => c.company),
    column((c) => c.notes),
    column((c) => searchColumn(c)),
    column((c) => c.createdAt),
    column((c) => contactJson(c)),
    contacts.map((_, i) => importKeys[i] ?? null),
  ];
}

/**
 * A database that stops answering (stalled, not refused) must not hold a request open: every
 * default here is "wait forever". `timeoutMs` bounds connecting, each statement at the server
 * (statement_timeout, lock_timeout: a lock held by a stalled transaction), a transaction left
 * idle by a client that vanished (idle_in_transaction_session_timeout), and each query at the
 * client (query_timeout: the answer never arrives). The client's is a little longer, so a
 * server that is there reports its own timeout first. Each answers 503 (database-unavailable.ts).
 */
export function poolTimeouts(timeoutMs: number) {
  return {
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    lock_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs,
    query_timeout: timeoutMs + 1_000,
  };
}

/** Runs `fn` on one client inside BEGIN ... COMMIT (ROLLBACK on any error). */
async function inTransaction<T>(pool: pg.Pool, fn: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // IMPORTANT: a client whose query timed out still waits for that answer; back in the pool
    // it would stall the next request too. Discarded instead (the server rolls back).
    if (isDatabaseUnavailable(err)) broken = err as Error;
    else await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw err;
  } finally {
    client.release(broken);
  }
}

export function createPostgresStore(
  pool: pg.Pool,
  {
    ownsPool = false,
    quotas = DEFAULT_QUOTAS,
  }: { ownsPool?: boolean; quotas?: StoreQuotas | undefined } = {},
): ContactStore {
  const page = async (owner: Owner, options: ListOptions): Promise<JsonPage> => {
    const { limit } = options;
    const { rows } = await pool.query<{ doc: string; sort_key: string; id: string }>(
      pageQuery(owner, options),
    );
    const kept = rows.length > limit ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    const next: Position | null =
      rows.length > limit && last ? { sortKey: last.sort_key, id: last.id } : null;
    return { items: Buffer.from(kept.map((row) => row.doc).join(','), 'utf8'), next };
  };

  const insert = async (
    db: Queryable,
    owner: Owner,
    inputs: readonly ContactInput[],
    importKeys: readonly string[] = [],
  ) => {
    const now = new Date().toISOString();
    const contacts = inputs.map((input) => newContact(randomUUID(), input, now));
    if (contacts.length > 0) await db.query(INSERT, insertParams(owner, contacts, importKeys));
    return contacts;
  };
  const count = async (db: Queryable, owner: Owner) => {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM contact WHERE owner_iss = $1 AND owner_sub = $2',
      [owner.iss, owner.sub],
    );
    return rows[0]?.n ?? 0;
  };
  /**
   * Locks the owner's row (creating it for a first contact) until the transaction ends and
   * answers the count it holds then, for the contacts quota (requireRoom). IMPORTANT: at READ COMMITTED a plain
   * count, then insert, lets two creates both see room; here a second create of the same
   * owner waits for the lock, and ON CONFLICT DO UPDATE returns the latest committed count,
   * so the quota is exact across connections and replicas. Every insert of the owner's
   * contacts takes this row anyway (the list-version trigger), so it adds no new contention.
   */
  const lockOwner = async (db: Queryable, owner: Owner): Promise<number> => {
    const { rows } = await db.query<{ n: number }>(
      `INSERT INTO search_owner (owner_iss, owner_sub) VALUES ($1, $2)
       ON CONFLICT (owner_iss, owner_sub) DO UPDATE SET contact_count = search_owner.contact_count
       RETURNING contact_count::float8 AS n`,
      [owner.iss, owner.sub],
    );
    return rows[0]?.n ?? 0;
  };
  const requireRoom = (held: number, adding: number) => {
    if (held + adding > quotas.contacts) throw new QuotaExceededError('contacts', quotas.contacts);
  };
  const lockOwnerWithRoom = async (db: Queryable, owner: Owner) =>
    requireRoom(await lockOwner(db, owner), 1);
  /** With the owner's row locked, so two new keys of one owner are counted one after the other. */
  const requireRoomForKey = async (db: Queryable, owner: Owner, expired: number) => {
    const limit = quotas.idempotencyKeys;
    // This transaction's own claim is counted: more than `limit` means over. At most limit + 1
    // rows are read, so the cost stays bounded for a user at the quota.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM (SELECT 1 FROM idempotency_key
         WHERE owner_iss = $1 AND owner_sub = $2 AND created_at > $3 LIMIT $4) live`,
      [owner.iss, owner.sub, expired, limit + 1],
    );
    if ((rows[0]?.n ?? 0) > limit) throw new QuotaExceededError('idempotencyKeys', limit);
  };
  let lastPurge = 0;
  let ended: Promise<void> | undefined;

  /**
   * Runs `write` once per Idempotency-Key, in one transaction with the key's claim, and keeps
   * the body it answers with the key: a second call with the key gets that body back (or
   * `key-reused` for another request), even when both run at once on different connections.
   */
  const once = async (
    owner: Owner,
    { key, requestHash, now }: IdempotencyKey,
    write: (db: Queryable) => Promise<string>,
  ): Promise<IdempotentCreate> => {
    const expired = now - IDEMPOTENCY_TTL_MS;
    if (now - lastPurge >= 60_000) {
      lastPurge = now; // cheap, but at most once a minute per process
      await pool.query('DELETE FROM idempotency_key WHERE created_at <= $1', [expired]);
    }
    return inTransaction(pool, async (db) => {
      // Claims the key. A concurrent claim of the same key waits here on the primary key
      // until the first transaction ends, then finds the row (and its response) committed.
      // An expired row not yet purged is taken over.
      const claimed = await db.query(
        `INSERT INTO idempotency_key (owner_iss, owner_sub, key, request_hash, response, created_at)
         VALUES ($1, $2, $3, $4, '', $5)
         ON CONFLICT (owner_iss, owner_sub, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, response = '', created_at = EXCLUDED.created_at
           WHERE idempotency_key.created_at <= $6`,
        [owner.iss, owner.sub, key, requestHash, now, expired],
      );
      if (claimed.rowCount === 0) {
        const { rows } = await db.query<{ request_hash: string; response: string }>(
          `SELECT request_hash, response FROM idempotency_key
           WHERE owner_iss = $1 AND owner_sub = $2 AND key = $3`,
          [owner.iss, owner.sub, key],
        );
        const stored = rows[0];
        if (!stored) throw new Error('idempotency key vanished while claimed');
        if (stored.request_hash !== requestHash) return { outcome: 'key-reused' } as const;
        return { outcome: 'replayed', body: stored.response } as const;
      }
      // Lock order: the key's row, then the owner's row (as createContact and the triggers).
      // IMPORTANT: `write` locks the owner's row (lockOwner) first thing, so the key quota
      // below is counted under it.
      const body = await write(db);
      await requireRoomForKey(db, owner, expired);
      await db.query(
        `UPDATE idempotency_key SET response = $4
         WHERE owner_iss = $1 AND owner_sub = $2 AND key = $3`,
        [owner.iss, owner.sub, key, body],
      );
      return { outcome: 'created', body } as const;
    });
  };

  return {
    async listContacts(owner, options) {
      const { items, next } = await page(owner, options);
      return { items: JSON.parse(`[${items.toString('utf8')}]`) as Contact[], next };
    },
    listContactsJson: page,
    async getContact(owner, id) {
      const { rows } = await pool.query<ContactRow>(
        `SELECT ${CONTACT_COLUMNS} FROM contact WHERE id = $1 AND owner_iss = $2 AND owner_sub = $3`,
        [id, owner.iss, owner.sub],
      );
      return rows[0] && toContact(rows[0]);
    },
    createContact: (owner, input) =>
      inTransaction(pool, async (db) => {
        await lockOwnerWithRoom(db, owner);
        const [contact] = await insert(db, owner, [input]);
        return contact as Contact;
      }),
    createContactOnce: (owner, input, key) =>
      once(owner, key, async (db) => {
        await lockOwnerWithRoom(db, owner);
        return JSON.stringify((await insert(db, owner, [input]))[0]);
      }),
    importContacts: (owner, items, key, render) =>
      once(owner, key, async (db) => {
        // The owner's row first, so a concurrent import of the same owner waits here, then
        // sees every import key this one wrote (READ COMMITTED: each statement a new snapshot).
        const held = await lockOwner(db, owner);
        const keys = [...new Set(items.map((item) => item.importKey))];
        const { rows } = await db.query<{ id: string; import_key: string }>(
          `SELECT id, import_key FROM contact
           WHERE owner_iss = $1 AND owner_sub = $2 AND import_key = ANY ($3::text[])`,
          [owner.iss, owner.sub, keys],
        );
        // Import key → the owner's contact with it, or undefined: new (in this batch, the first).
        const ids = new Map<string, string | undefined>(keys.map((k) => [k, undefined]));
        for (const row of rows) ids.set(row.import_key, row.id);
        const fresh: ImportItem[] = [];
        const freshKeys = new Set<string>();
        for (const item of items) {
          if (ids.get(item.importKey) !== undefined || freshKeys.has(item.importKey)) continue;
          freshKeys.add(item.importKey);
          fresh.push(item);
        }
        // All or nothing: the whole batch's new contacts must fit.
        requireRoom(held, fresh.length);
        const made = await insert(
          db,
          owner,
          fresh.map((item) => item.input),
          fresh.map((item) => item.importKey),
        );
        const created = new Map(fresh.map((item, i) => [item, made[i] as Contact]));
        for (const [item, contact] of created) ids.set(item.importKey, contact.id);
        return render(
          items.map((item): ImportOutcome => {
            const contact = created.get(item);
            if (contact) return { status: 'created', contact };
            return { status: 'duplicate', id: ids.get(item.importKey) as string };
          }),
        );
      }),
    createContacts: (owner, inputs, options) =>
      inTransaction(pool, async (db) => {
        if (options?.onlyIfEmpty) {
          // Two processes seeding the same owner at once: the second waits, then sees rows.
          await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            `${owner.iss} ${owner.sub}`,
          ]);
          if ((await count(db, owner)) > 0) return 0;
        }
        return (await insert(db, owner, inputs)).length;
      }),
    async replaceContact(owner, current, input) {
      const contact = replacedContact(current, input, new Date().toISOString());
      const { rowCount } = await pool.query(
        `UPDATE contact SET sort_key = $4, name = $5, emails = $6, phones = $7, company = $8,
           notes = $9, search = $10, version = $11, updated_at = $12, doc = $13
         WHERE id = $1 AND owner_iss = $2 AND owner_sub = $3 AND version = $14`,
        [
          current.id,
          owner.iss,
          owner.sub,
          sortKey(contact.name),
          contact.name,
          JSON.stringify(contact.emails),
          JSON.stringify(contact.phones),
          contact.company,
          contact.notes,
          searchColumn(contact),
          contact.version,
          contact.updatedAt,
          contactJson(contact),
          current.version,
        ],
      );
      return rowCount === 1 ? contact : undefined;
    },
    async deleteContact(owner, id, version) {
      const { rowCount } = await pool.query(
        'DELETE FROM contact WHERE id = $1 AND owner_iss = $2 AND owner_sub = $3 AND version = $4',
        [id, owner.iss, owner.sub, version],
      );
      return rowCount === 1;
    },
    countContacts: (owner) => count(pool, owner),
    listVersion: listVersionOf(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      // Once: pg throws on a second end(), SQLite's close() is idempotent too.
      ended ??= ownsPool ? pool.end() : Promise.resolve();
      return ended;
    },
  };
}
