// Schema history, applied in order; `PRAGMA user_version` records how many have run.
// Append only: never edit a migration that has shipped.
export const migrations: readonly string[] = [
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
];
