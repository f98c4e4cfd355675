// What only the SQLite engine has: the file and its pragmas, its migration history (from v1)
// and the word-prefix table. Behaviour both engines share is in store.test.ts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { searchTerms } from '../fold.ts';
import { openDatabase } from './sqlite-database.ts';
import { migrations } from './sqlite-migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { ContactStore } from './store.ts';

const ISSUER = 'http://localhost:4000';
const alice = { iss: ISSUER, sub: 'alice' };
const contact = (name: string) => ({ name });
const all = { terms: [], after: undefined, limit: 200 };
const dirs: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'contacts-store-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'contacts.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const names = async (store: ContactStore, q = '', owner = alice) =>
  (await store.listContacts(owner, { ...all, terms: searchTerms(q) })).items.map((c) => c.name);

describe('contact store on a SQLite file', () => {
  it('keeps the prefix index in step with deletes', async () => {
    const db = openDatabase(':memory:');
    const other = createSqliteStore(db);
    const kept = await other.createContact(alice, { name: 'Kept' });
    await other.deleteContact(alice, (await other.createContact(alice, { name: 'Gone' })).id, 1);
    expect(db.prepare('SELECT DISTINCT id FROM contact_prefix').pluck().all()).toEqual([kept.id]);
  });
  it('creates the folder, uses WAL with synchronous=FULL, and keeps data across reopening', async () => {
    const file = tempFile();
    const first = openDatabase(file);
    expect(first.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await createSqliteStore(first).createContact(alice, contact('Ada'));
    first.close();

    const second = openDatabase(file);
    expect(await names(createSqliteStore(second))).toEqual(['Ada']);
    second.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
    raw.close();
  });

  it('migrates v1 rows (one email, one phone) to v2 without losing them', async () => {
    const file = tempFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const v1 = new Database(file);
    v1.exec(migrations[0] as string);
    v1.pragma('user_version = 1');
    v1.prepare(
      `INSERT INTO contacts VALUES ('c1', ?, 'alice', 'Zoë', 'z@f.example', '+47 1', 'Fjord', 't', 't')`,
    ).run(ISSUER);
    v1.close();
    const store = createSqliteStore(openDatabase(file));
    expect(await store.getContact(alice, 'c1')).toMatchObject({
      name: 'Zoë',
      emails: ['z@f.example'],
      phones: ['+47 1'],
      company: 'Fjord',
      version: 1,
    });
    expect(await names(store, 'zoe')).toEqual(['Zoë']);
  });

  it('counts the contacts an owner had before v5 into the quota', async () => {
    const file = tempFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const v4 = new Database(file);
    v4.exec(migrations[0] as string);
    const row = v4.prepare(
      `INSERT INTO contacts VALUES (?, ?, 'alice', ?, NULL, NULL, NULL, 't', 't')`,
    );
    row.run('c1', ISSUER, 'A');
    row.run('c2', ISSUER, 'B');
    for (const step of migrations.slice(1, 4)) {
      if (typeof step === 'string') v4.exec(step);
      else step(v4);
    }
    v4.pragma('user_version = 4');
    v4.close();
    const store = createSqliteStore(openDatabase(file), {
      quotas: { contacts: 3, idempotencyKeys: 10 },
    });
    await store.createContact(alice, contact('C'));
    await expect(store.createContact(alice, contact('D'))).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      quota: 'contacts',
    });
  });

  it('refuses a database written by a newer schema', async () => {
    const file = tempFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this code/);
  });
});
