import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { searchColumn, searchTerms, sortKey } from '../fold.ts';
import type { Contact } from '../schemas.ts';
import { generateContacts } from '../seed-scale.ts';
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

describe('contact store', () => {
  it('keys rows by issuer and subject: the same sub at another issuer sees nothing', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    const ada = await store.createContact(alice, contact('Ada'));
    expect(await names(store)).toEqual(['Ada']);
    expect(await names(store, '', { iss: 'https://other.example', sub: 'alice' })).toEqual([]);
    expect(await store.getContact({ iss: ISSUER, sub: 'bob' }, ada.id)).toBeUndefined();
    expect(await store.deleteContact({ iss: ISSUER, sub: 'bob' }, ada.id, 1)).toBe(false);
  });

  it('sorts by name ignoring case and accents (Émile with the Es, not after Z)', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    for (const name of ['zed', 'Émile', 'bob', 'Alice', 'Ødegård', 'eve']) {
      await store.createContact(alice, contact(name));
    }
    expect(await names(store)).toEqual(['Alice', 'bob', 'Émile', 'eve', 'Ødegård', 'zed']);
  });

  it('searches by word prefix across fields, accent- and case-insensitively', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    await store.createContact(alice, { name: 'Zoë Ødegård', company: 'Fjord & Co' });
    await store.createContact(alice, {
      name: 'Hans Müller',
      emails: ['hans@mueller.example'],
      phones: ['+44 20 7946 0018'],
    });
    await store.createContact(alice, { name: 'Straße Weiß' });
    expect(await names(store, 'zoe')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'ODEG')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'muller')).toEqual(['Hans Müller']);
    expect(await names(store, 'MÜL')).toEqual(['Hans Müller']);
    expect(await names(store, 'fjord')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'mueller.ex')).toEqual(['Hans Müller']);
    expect(await names(store, '+4420')).toEqual(['Hans Müller']);
    expect(await names(store, '7946 0018')).toEqual(['Hans Müller']);
    expect(await names(store, 'strasse weiss')).toEqual(['Straße Weiß']);
    expect(await names(store, 'üller')).toEqual([]); // prefixes of words, not infixes
    expect(await names(store, '%')).toHaveLength(3); // no words: no filter, and no LIKE wildcards
  });

  it('finds through the prefix index exactly what a walk over every row finds, in order', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    const inputs = generateContacts(400, 7);
    const created: Contact[] = [];
    for (const input of inputs) created.push(await store.createContact(alice, input));
    await store.createContact({ iss: ISSUER, sub: 'bob' }, { name: 'Zoë Bob-only' });
    const byName = [...created].sort((a, b) => {
      const ka = sortKey(a.name);
      const kb = sortKey(b.name);
      return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    for (const q of [
      'zoe',
      'z',
      'mul',
      'muller',
      'Ødeg',
      'oder',
      'emile',
      'ch',
      'chen',
      'acme co',
      '+44',
      '44',
      'example',
      'anna mul',
      'mul anna',
      'fjord',
      'zz',
      'søren',
      'x',
    ]) {
      const terms = searchTerms(q);
      const expected = byName
        .filter((c) => terms.every((term) => searchColumn(c).includes(term)))
        .map((c) => c.id);
      const seen: string[] = [];
      let after: { sortKey: string; id: string } | undefined;
      do {
        const page = await store.listContacts(alice, { terms, after, limit: 7 });
        seen.push(...page.items.map((c) => c.id));
        after = page.next ?? undefined;
      } while (after);
      expect(seen, q).toEqual(expected);
    }
  });

  it('keeps the search index in step with updates and deletes', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    const zoe = await store.createContact(alice, { name: 'Zoë Ødegård', company: 'Fjord' });
    const renamed = (await store.replaceContact(alice, zoe, { name: 'Ada Lovelace' }))!;
    expect(await names(store, 'zoe')).toEqual([]);
    expect(await names(store, 'fjord')).toEqual([]);
    expect(await names(store, 'love')).toEqual(['Ada Lovelace']);
    expect(await store.deleteContact(alice, renamed.id, renamed.version)).toBe(true);
    expect(await names(store, 'ada')).toEqual([]);
    const db = openDatabase(':memory:');
    const other = createSqliteStore(db);
    const kept = await other.createContact(alice, { name: 'Kept' });
    await other.deleteContact(alice, (await other.createContact(alice, { name: 'Gone' })).id, 1);
    expect(db.prepare('SELECT DISTINCT id FROM contact_prefix').pluck().all()).toEqual([kept.id]);
  });

  it('pages with a keyset cursor, with no gaps or repeats', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    for (let i = 0; i < 7; i += 1) await store.createContact(alice, contact('Same name'));
    const seen: string[] = [];
    let after: { sortKey: string; id: string } | undefined;
    do {
      const page = await store.listContacts(alice, { terms: [], after, limit: 3 });
      seen.push(...page.items.map((c) => c.id));
      after = page.next ?? undefined;
    } while (after);
    expect(new Set(seen).size).toBe(7);
  });

  it('splits pages between documents even when text looks like a document boundary', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    const tricky = [
      'a ,{"id":"fake"}',
      'b "},{"id":"x',
      'c \\",{\\"id\\":',
      'd ,{"id":',
      'e 😀 ,{"id":"y","name":"z"}',
    ];
    for (const name of tricky) {
      await store.createContact(alice, {
        name,
        notes: `,{"id":"${name}"}`,
        emails: ['x@{"id":.example'],
      });
    }
    for (const limit of [1, 2, 3, 4]) {
      const seen: string[] = [];
      let after: { sortKey: string; id: string } | undefined;
      do {
        const page = await store.listContacts(alice, { terms: searchTerms(''), after, limit });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((c) => c.name));
        after = page.next ?? undefined;
      } while (after);
      expect(seen, `limit ${limit}`).toEqual(tricky);
    }
  });

  it('replaces every field and bumps the version', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    const first = await store.createContact(alice, {
      name: 'Ada',
      emails: ['a@x.example'],
      notes: 'n',
    });
    const second = await store.replaceContact(alice, first, { name: 'Ada L.' });
    expect(second).toMatchObject({ id: first.id, version: 2, emails: [], notes: null });
    expect(await store.getContact(alice, first.id)).toEqual(second);
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

  it('refuses a database written by a newer schema', async () => {
    const file = tempFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this code/);
  });

  it('rolls back a failed transaction', async () => {
    const store = createSqliteStore(openDatabase(':memory:'));
    await expect(
      store.createContacts(alice, [contact('Ada'), contact('')]), // '' violates the CHECK
    ).rejects.toThrow();
    expect(await names(store)).toEqual([]);
  });
});
