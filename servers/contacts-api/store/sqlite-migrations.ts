// Schema history, applied in order; `PRAGMA user_version` records how many have run.
// Append only: never edit a migration that has shipped. A step is SQL, or a function when
// rows must be rewritten with JS (Unicode folding has no SQLite equivalent).
import type Database from 'better-sqlite3';
import { contactJson } from '../contact-json.ts';
import { searchColumn, searchPrefixes, sortKey } from '../fold.ts';

export type Migration = string | ((db: Database.Database) => void);

export const migrations: readonly Migration[] = [
  `CREATE TABLE contacts (
     id         TEXT PRIMARY KEY,
     owner_iss  TEXT NOT NULL,
     owner_sub  TEXT NOT NULL,
     name       TEXT NOT NULL CHECK (name <> ''),
     email      TEXT,
     phone      TEXT,
     company    TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;
   -- Every query filters on the owner (issuer + subject) and sorts by name.
   CREATE INDEX contacts_owner_name ON contacts (owner_iss, owner_sub, name COLLATE NOCASE);`,
  migrateToContact,
  addPrefixIndex,
  addListVersion,
  addContactCount,
  // v6: each imported contact's import key (import-key.ts), unique per owner, so importing
  // the same file again finds what the first import made. NULL for contacts made otherwise.
  `ALTER TABLE contact ADD COLUMN import_key TEXT;
   CREATE UNIQUE INDEX contact_import_key ON contact (owner_iss, owner_sub, import_key)
     WHERE import_key IS NOT NULL;`,
];

// v2: several emails and phones, notes, a version counter (ETag), folded sort and search
// columns, and idempotency keys. The primary key clusters each owner's rows in name order,
// so a page or a search is one range scan of the table, with no lookups.
function migrateToContact(db: Database.Database): void {
  db.exec(`
    CREATE TABLE contact (
      owner_iss  TEXT NOT NULL,
      owner_sub  TEXT NOT NULL,
      sort_key   TEXT NOT NULL, -- fold(name)
      id         TEXT NOT NULL,
      name       TEXT NOT NULL CHECK (name <> ''),
      emails     TEXT NOT NULL CHECK (json_type(emails) = 'array'),
      phones     TEXT NOT NULL CHECK (json_type(phones) = 'array'),
      company    TEXT,
      notes      TEXT,
      search     TEXT NOT NULL, -- ' ' + folded words (fold.ts)
      version    INTEGER NOT NULL CHECK (version >= 1),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      doc        TEXT NOT NULL, -- the API's JSON of this row, so reads never re-serialise
      PRIMARY KEY (owner_iss, owner_sub, sort_key, id)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX contact_id ON contact (id);
    -- Search scans this narrow covering index in name order, not the wide rows.
    CREATE INDEX contact_search ON contact (owner_iss, owner_sub, sort_key, id, search);

    CREATE TABLE idempotency_key (
      owner_iss    TEXT NOT NULL,
      owner_sub    TEXT NOT NULL,
      key          TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      response     TEXT NOT NULL, -- the 201 body as first sent
      created_at   INTEGER NOT NULL, -- ms since the epoch
      PRIMARY KEY (owner_iss, owner_sub, key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX idempotency_key_created ON idempotency_key (created_at);`);

  const insert = db.prepare(
    `INSERT INTO contact (owner_iss, owner_sub, sort_key, id, name, emails, phones, company,
       notes, search, version, created_at, updated_at, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, ?, ?, ?)`,
  );
  const rows = db.prepare('SELECT * FROM contacts').all() as {
    id: string;
    owner_iss: string;
    owner_sub: string;
    name: string;
    email: string | null;
    phone: string | null;
    company: string | null;
    created_at: string;
    updated_at: string;
  }[];
  for (const row of rows) {
    const emails = row.email ? [row.email] : [];
    const phones = row.phone ? [row.phone] : [];
    const search = searchColumn({ name: row.name, emails, phones, company: row.company });
    const doc = contactJson({
      id: row.id,
      name: row.name,
      emails,
      phones,
      company: row.company,
      notes: null,
      version: 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    insert.run(
      row.owner_iss,
      row.owner_sub,
      sortKey(row.name),
      row.id,
      row.name,
      JSON.stringify(emails),
      JSON.stringify(phones),
      row.company,
      search,
      row.created_at,
      row.updated_at,
      doc,
    );
  }
  db.exec('DROP TABLE contacts');
}

// v3: a word-prefix index, so a search costs its matches instead of a walk over all of the
// user's rows. Each contact gets one row per distinct 1..3 code-point prefix of each word of
// its search column (fold.ts searchPrefixes), keyed so that one prefix's contacts come in
// name order: a search is a range seek on (owner, prefix) with the cursor, filtered by the
// full terms, stopping at the page size. Owners are numbered (`search_owner`) to keep the
// ~30 index rows per contact small. The narrow index the old walk used goes.
const PREFIX_INDEX_SCHEMA = `
  CREATE TABLE search_owner (
    id        INTEGER PRIMARY KEY,
    owner_iss TEXT NOT NULL,
    owner_sub TEXT NOT NULL,
    UNIQUE (owner_iss, owner_sub)
  ) STRICT;
  CREATE TABLE contact_prefix (
    owner    INTEGER NOT NULL REFERENCES search_owner (id),
    prefix   TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    id       TEXT NOT NULL,
    PRIMARY KEY (owner, prefix, sort_key, id)
  ) STRICT, WITHOUT ROWID;`;

function addPrefixIndex(db: Database.Database): void {
  db.exec(`${PREFIX_INDEX_SCHEMA}
    DROP INDEX contact_search;
    INSERT INTO search_owner (owner_iss, owner_sub)
      SELECT DISTINCT owner_iss, owner_sub FROM contact;`);
  const insert = db.prepare(
    `INSERT INTO contact_prefix (owner, prefix, sort_key, id)
     SELECT o.id, p.value, ?, ? FROM search_owner o, json_each(?) p
     WHERE o.owner_iss = ? AND o.owner_sub = ?`,
  );
  const rows = db.prepare('SELECT owner_iss, owner_sub, sort_key, id, search FROM contact');
  // all(), not iterate(): the connection cannot insert while a statement is being stepped.
  for (const row of rows.all() as {
    owner_iss: string;
    owner_sub: string;
    sort_key: string;
    id: string;
    search: string;
  }[]) {
    const prefixes = JSON.stringify(searchPrefixes(row.search));
    insert.run(row.sort_key, row.id, prefixes, row.owner_iss, row.owner_sub);
  }
}

// v4: a per-owner list version, bumped by SQLite itself on every insert, update or delete of
// one of the owner's contacts, whichever process or script writes. The API's page cache
// (page-cache.ts) and the list ETag are keyed by it, so a write in one worker is seen by the
// next read in any other. Triggers, not store code, so no write path can forget it. The
// insert trigger also creates the owner's row (the store's own upsert then does nothing).
function addListVersion(db: Database.Database): void {
  db.exec(`
  ALTER TABLE search_owner ADD COLUMN list_version INTEGER NOT NULL DEFAULT 0;
  CREATE TRIGGER contact_added AFTER INSERT ON contact BEGIN
    INSERT INTO search_owner (owner_iss, owner_sub, list_version)
      VALUES (NEW.owner_iss, NEW.owner_sub, 1)
      ON CONFLICT (owner_iss, owner_sub) DO UPDATE SET list_version = list_version + 1;
  END;
  CREATE TRIGGER contact_changed AFTER UPDATE ON contact BEGIN
    UPDATE search_owner SET list_version = list_version + 1
      WHERE (owner_iss = OLD.owner_iss AND owner_sub = OLD.owner_sub)
         OR (owner_iss = NEW.owner_iss AND owner_sub = NEW.owner_sub);
  END;
  CREATE TRIGGER contact_removed AFTER DELETE ON contact BEGIN
    UPDATE search_owner SET list_version = list_version + 1
      WHERE owner_iss = OLD.owner_iss AND owner_sub = OLD.owner_sub;
  END;`);
}

// v5: each owner's number of contacts, kept by the same triggers as the list version, so the
// contacts quota (store.ts StoreQuotas) is one row read, not a count of up to 50,000 rows on
// every create. An update never moves a contact to another owner, so it leaves the count.
function addContactCount(db: Database.Database): void {
  db.exec(`
  ALTER TABLE search_owner ADD COLUMN contact_count INTEGER NOT NULL DEFAULT 0;
  UPDATE search_owner SET contact_count = (SELECT count(*) FROM contact c
    WHERE c.owner_iss = search_owner.owner_iss AND c.owner_sub = search_owner.owner_sub);
  DROP TRIGGER contact_added;
  CREATE TRIGGER contact_added AFTER INSERT ON contact BEGIN
    INSERT INTO search_owner (owner_iss, owner_sub, list_version, contact_count)
      VALUES (NEW.owner_iss, NEW.owner_sub, 1, 1)
      ON CONFLICT (owner_iss, owner_sub) DO UPDATE
        SET list_version = list_version + 1, contact_count = contact_count + 1;
  END;
  DROP TRIGGER contact_removed;
  CREATE TRIGGER contact_removed AFTER DELETE ON contact BEGIN
    UPDATE search_owner SET list_version = list_version + 1, contact_count = contact_count - 1
      WHERE owner_iss = OLD.owner_iss AND owner_sub = OLD.owner_sub;
  END;`);
}
