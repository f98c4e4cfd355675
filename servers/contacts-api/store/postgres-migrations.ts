// PostgreSQL schema history, applied in order at start; table `schema_migration` records
// each version applied. Append only: never edit a migration that has shipped.
// IMPORTANT: every text column that sorts or is compared as a key is COLLATE "C" (bytewise),
// as SQLite's BINARY is, so both engines order names and page cursors alike whatever the
// database's locale.
import type { Pool } from 'pg';

/**
 * Search (README "Search on PostgreSQL"): the same word-prefix table as SQLite's migration v3
 * (fold.ts searchPrefixes: each word's first 1..3 code points), keyed (owner, prefix, name
 * order), so a search is one ordered range walk that stops at the page size, whatever the
 * number of matches. Kept by a trigger from the stored folded `search` column (folded in JS,
 * exactly as on SQLite), so no write path can forget it. left() counts code points, as
 * fold.ts does; IMPORTANT: its 3 is fold.ts PREFIX_LENGTH.
 */
const V1 = `
  CREATE TABLE search_owner (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_iss    text COLLATE "C" NOT NULL,
    owner_sub    text COLLATE "C" NOT NULL,
    list_version bigint NOT NULL DEFAULT 0,
    UNIQUE (owner_iss, owner_sub)
  );
  CREATE TABLE contact (
    owner_iss    text COLLATE "C" NOT NULL,
    owner_sub    text COLLATE "C" NOT NULL,
    sort_key     text COLLATE "C" NOT NULL, -- fold(name)
    id           text COLLATE "C" NOT NULL,
    name         text NOT NULL CHECK (name <> ''),
    emails       text NOT NULL CHECK (json_typeof(emails::json) = 'array'),
    phones       text NOT NULL CHECK (json_typeof(phones::json) = 'array'),
    company      text,
    notes        text,
    search       text NOT NULL, -- ' ' + folded words (fold.ts)
    version      integer NOT NULL CHECK (version >= 1),
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    doc          text NOT NULL, -- the API's JSON of this row, so reads never re-serialise
    PRIMARY KEY (owner_iss, owner_sub, sort_key, id)
  );
  CREATE UNIQUE INDEX contact_id ON contact (id);
  CREATE TABLE contact_prefix (
    owner    bigint NOT NULL REFERENCES search_owner (id),
    prefix   text COLLATE "C" NOT NULL,
    sort_key text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    PRIMARY KEY (owner, prefix, sort_key, id)
  );

  CREATE TABLE idempotency_key (
    owner_iss    text COLLATE "C" NOT NULL,
    owner_sub    text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    request_hash text NOT NULL,
    response     text NOT NULL, -- the 201 body as first sent
    created_at   bigint NOT NULL, -- ms since the epoch
    PRIMARY KEY (owner_iss, owner_sub, key)
  );
  CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

  -- The per-owner list version (as SQLite's migration v4) and the prefix table, both kept by
  -- the database on every insert, update or delete of contacts, whichever replica wrote: the
  -- page caches and list ETags of every replica see each write, and no write path can forget
  -- either. Statement triggers with transition tables: one pass per statement, not per row
  -- (a 500-contact seed batch bumps its owner's version once). The owner row comes first,
  -- since the prefix rows reference it.
  CREATE FUNCTION contact_prefixes(search text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT left(word, n)), '{}')
    FROM unnest(string_to_array(btrim(search), ' ')) word, generate_series(1, 3) n $$;

  CREATE FUNCTION contacts_added() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_owner (owner_iss, owner_sub, list_version)
      SELECT DISTINCT owner_iss, owner_sub, 1 FROM added
      ON CONFLICT (owner_iss, owner_sub) DO UPDATE SET list_version = search_owner.list_version + 1;
    INSERT INTO contact_prefix (owner, prefix, sort_key, id)
      SELECT o.id, p, a.sort_key, a.id
      FROM added a JOIN search_owner o USING (owner_iss, owner_sub), unnest(contact_prefixes(a.search)) p;
    RETURN NULL;
  END $$;

  CREATE FUNCTION contacts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE search_owner o SET list_version = list_version + 1
      FROM (SELECT DISTINCT owner_iss, owner_sub FROM removed) r
      WHERE o.owner_iss = r.owner_iss AND o.owner_sub = r.owner_sub;
    DELETE FROM contact_prefix p
      USING removed r JOIN search_owner o USING (owner_iss, owner_sub)
      WHERE p.owner = o.id AND p.prefix = ANY (contact_prefixes(r.search))
        AND p.sort_key = r.sort_key AND p.id = r.id;
    RETURN NULL;
  END $$;

  CREATE FUNCTION contacts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_owner (owner_iss, owner_sub, list_version)
      SELECT owner_iss, owner_sub, 1 FROM added UNION SELECT owner_iss, owner_sub, 1 FROM removed
      ON CONFLICT (owner_iss, owner_sub) DO UPDATE SET list_version = search_owner.list_version + 1;
    DELETE FROM contact_prefix p
      USING removed r JOIN search_owner o USING (owner_iss, owner_sub)
      WHERE p.owner = o.id AND p.prefix = ANY (contact_prefixes(r.search))
        AND p.sort_key = r.sort_key AND p.id = r.id;
    INSERT INTO contact_prefix (owner, prefix, sort_key, id)
      SELECT o.id, p, a.sort_key, a.id
      FROM added a JOIN search_owner o USING (owner_iss, owner_sub), unnest(contact_prefixes(a.search)) p;
    RETURN NULL;
  END $$;

  CREATE TRIGGER contacts_added AFTER INSERT ON contact REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION contacts_added();
  CREATE TRIGGER contacts_removed AFTER DELETE ON contact REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION contacts_removed();
  CREATE TRIGGER contacts_changed AFTER UPDATE ON contact
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION contacts_changed();`;

/**
 * Each owner's number of contacts, kept by the statement triggers with the list version, so
 * the contacts quota (store.ts StoreQuotas) is one row read. The owner row is also the lock
 * a create takes before checking it (postgres-store.ts). An update never moves a contact to
 * another owner, so contacts_changed leaves the count.
 */
const V2 = `
  ALTER TABLE search_owner ADD COLUMN contact_count bigint NOT NULL DEFAULT 0;
  UPDATE search_owner o SET contact_count = c.n
    FROM (SELECT owner_iss, owner_sub, count(*) AS n FROM contact GROUP BY owner_iss, owner_sub) c
    WHERE o.owner_iss = c.owner_iss AND o.owner_sub = c.owner_sub;

  CREATE OR REPLACE FUNCTION contacts_added() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_owner (owner_iss, owner_sub, list_version, contact_count)
      SELECT owner_iss, owner_sub, 1, count(*) FROM added GROUP BY owner_iss, owner_sub
      ON CONFLICT (owner_iss, owner_sub) DO UPDATE SET list_version = search_owner.list_version + 1,
        contact_count = search_owner.contact_count + EXCLUDED.contact_count;
    INSERT INTO contact_prefix (owner, prefix, sort_key, id)
      SELECT o.id, p, a.sort_key, a.id
      FROM added a JOIN search_owner o USING (owner_iss, owner_sub), unnest(contact_prefixes(a.search)) p;
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION contacts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE search_owner o SET list_version = list_version + 1, contact_count = contact_count - r.n
      FROM (SELECT owner_iss, owner_sub, count(*) AS n FROM removed GROUP BY owner_iss, owner_sub) r
      WHERE o.owner_iss = r.owner_iss AND o.owner_sub = r.owner_sub;
    DELETE FROM contact_prefix p
      USING removed r JOIN search_owner o USING (owner_iss, owner_sub)
      WHERE p.owner = o.id AND p.prefix = ANY (contact_prefixes(r.search))
        AND p.sort_key = r.sort_key AND p.id = r.id;
    RETURN NULL;
  END $$;`;

/** Each imported contact's import key (import-key.ts), unique per owner, as SQLite's v6. */
const V3 = `
  ALTER TABLE contact ADD COLUMN import_key text COLLATE "C";
  CREATE UNIQUE INDEX contact_import_key ON contact (owner_iss, owner_sub, import_key)
    WHERE import_key IS NOT NULL;`;

export const postgresMigrations: readonly string[] = [V1, V2, V3];

/** pg_advisory_lock key of the migrations: any constant no other code of this database uses. */
const MIGRATION_LOCK = '7165066978298918003'; // 0x636f6e7461637473, "contacts"; a string: bigint

/**
 * Applies the missing migrations, each in its own transaction, under a session advisory lock:
 * replicas starting together wait for the first, then find nothing left to do. Returns how
 * many this call applied.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly string[] = postgresMigrations,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
        version    integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number }>(
        'SELECT coalesce(max(version), 0)::integer AS version FROM schema_migration',
      );
      const current = rows[0]?.version ?? 0;
      if (current > migrations.length) {
        throw new Error(
          `contacts database schema is version ${current}, newer than this code (${migrations.length})`,
        );
      }
      for (let version = current + 1; version <= migrations.length; version += 1) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[version - 1] as string);
          await client.query('INSERT INTO schema_migration (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      return migrations.length - current;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
