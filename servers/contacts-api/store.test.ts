import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations.ts';
import { openContactStore } from './store.ts';

const ISSUER = 'http://localhost:4000';
const contact = (name: string) => ({ name, email: null, phone: null, company: null });
const dirs: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'contacts-store-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'contacts.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openContactStore', () => {
  it('keys rows by issuer and subject: the same sub at another issuer sees nothing', () => {
    const store = openContactStore(':memory:');
    store.createContact({ iss: ISSUER, sub: 'alice' }, contact('Ada'));
    expect(store.listContacts({ iss: ISSUER, sub: 'alice' })).toHaveLength(1);
    expect(store.listContacts({ iss: 'https://other.example', sub: 'alice' })).toEqual([]);
    expect(store.listContacts({ iss: ISSUER, sub: 'bob' })).toEqual([]);
    store.close();
  });

  it('lists by name, ignoring case, with the public shape only', () => {
    const store = openContactStore(':memory:');
    const owner = { iss: ISSUER, sub: 'alice' };
    for (const name of ['bob', 'Alice', 'carol', 'Bea']) store.createContact(owner, contact(name));
    const created = store.createContact(owner, {
      name: 'aaron',
      email: 'a@example.test',
      phone: '+1',
      company: 'ACME',
      ...{ owner_sub: 'mallory' }, // extra fields are ignored, never stored
    });
    const items = store.listContacts(owner);
    expect(items.map((c) => c.name)).toEqual(['aaron', 'Alice', 'Bea', 'bob', 'carol']);
    expect(items[0]).toEqual(created);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['company', 'email', 'id', 'name', 'phone']);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    store.close();
  });

  it('creates the folder, uses WAL, and keeps data across reopening', () => {
    const file = tempFile();
    const first = openContactStore(file);
    first.createContact({ iss: ISSUER, sub: 'alice' }, contact('Ada'));
    first.close();

    const second = openContactStore(file);
    expect(second.listContacts({ iss: ISSUER, sub: 'alice' }).map((c) => c.name)).toEqual(['Ada']);
    second.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
    raw.close();
  });

  it('refuses a database written by a newer schema', () => {
    const file = tempFile();
    openContactStore(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openContactStore(file)).toThrow(/newer than this code/);
  });

  it('rolls back a failed transaction', () => {
    const store = openContactStore(':memory:');
    const owner = { iss: ISSUER, sub: 'alice' };
    expect(() =>
      store.transaction(() => {
        store.createContact(owner, contact('Ada'));
        store.createContact(owner, contact('')); // violates the CHECK
      }),
    ).toThrow();
    expect(store.listContacts(owner)).toEqual([]);
    store.close();
  });
});
