// Contacts in SQLite. Every function takes the owner, the (issuer, subject) pair of the
// access token, so no query can reach another user's rows.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

export interface Owner {
  iss: string;
  sub: string;
}

export interface ContactInput {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

export interface Contact extends ContactInput {
  id: string;
}

export interface ContactStore {
  /** The owner's contacts, by name (ASCII case-insensitive), then id. */
  listContacts(owner: Owner): Contact[];
  createContact(owner: Owner, input: ContactInput): Contact;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens (creating if needed) the database at `file`; `':memory:'` gives a throwaway one. */
export function openContactStore(file: string): ContactStore {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000'); // default 0; a second process (tests, sqlite3 CLI) may hold the lock
  migrate(db);

  const list = db.prepare<[string, string], Contact>(
    `SELECT id, name, email, phone, company FROM contacts
     WHERE owner_iss = ? AND owner_sub = ? ORDER BY name COLLATE NOCASE, id`,
  );
  const insert = db.prepare(
    `INSERT INTO contacts (id, owner_iss, owner_sub, name, email, phone, company, created_at, updated_at)
     VALUES (@id, @iss, @sub, @name, @email, @phone, @company, @now, @now)`,
  );

  return {
    listContacts: (owner) => list.all(owner.iss, owner.sub),
    createContact(owner, input) {
      const contact: Contact = { id: randomUUID(), ...pick(input) };
      insert.run({ ...contact, iss: owner.iss, sub: owner.sub, now: new Date().toISOString() });
      return contact;
    },
    transaction: (fn) => db.transaction(fn).immediate(),
    close: () => db.close(),
  };
}

function pick({ name, email, phone, company }: ContactInput): ContactInput {
  return { name, email, phone, company };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(
      `contacts database schema is version ${version}, newer than this code (${migrations.length})`,
    );
  }
  db.transaction(() => {
    for (const sql of migrations.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
