// What only the PostgreSQL engine has: migrations under an advisory lock, its schema
// history, bytewise ordering whatever the database's locale. Shared behaviour is in
// store.test.ts and concurrency.test.ts.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migratePostgres, postgresMigrations } from './postgres-migrations.ts';
import { createPostgresStore, openPostgresStore } from './postgres-store.ts';
import { useTestDatabase } from './test-databases.ts';

const alice = { iss: 'http://localhost:4000', sub: 'alice' };
const pools: pg.Pool[] = [];
const poolOn = (url: string) => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

describe('contact store on PostgreSQL', () => {
  const db = useTestDatabase('postgres');

  it('migrates a fresh database once when two replicas start together', async () => {
    const url = await db.scratchDatabase();
    const [a, b] = [poolOn(url), poolOn(url)];
    const applied = await Promise.all([migratePostgres(a), migratePostgres(b)]);
    expect(applied.sort()).toEqual([0, postgresMigrations.length]);
    const { rows } = await a.query('SELECT version FROM schema_migration ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(postgresMigrations.map((_, i) => i + 1));
    // Both work, and see each other's writes.
    const written = await createPostgresStore(a).createContact(alice, { name: 'Ada' });
    expect(await createPostgresStore(b).getContact(alice, written.id)).toEqual(written);
    // A restart finds nothing to do.
    expect(await migratePostgres(b)).toBe(0);
  });

  it('counts the contacts an owner had before migration 2 into the quota', async () => {
    const pool = poolOn(await db.scratchDatabase());
    await migratePostgres(pool, postgresMigrations.slice(0, 1));
    // Rows as version 1 stored them (today's store writes columns added since).
    await pool.query(
      `INSERT INTO contact (owner_iss, owner_sub, sort_key, id, name, emails, phones, search,
         version, created_at, updated_at, doc)
       VALUES ($1, $2, 'a', 'c1', 'A', '[]', '[]', ' a', 1, 't', 't', '{}'),
              ($1, $2, 'b', 'c2', 'B', '[]', '[]', ' b', 1, 't', 't', '{}')`,
      [alice.iss, alice.sub],
    );
    await migratePostgres(pool);
    const store = createPostgresStore(pool, { quotas: { contacts: 3, idempotencyKeys: 10 } });
    await store.createContact(alice, { name: 'C' });
    await expect(store.createContact(alice, { name: 'D' })).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      quota: 'contacts',
    });
  });

  it('refuses a database written by a newer schema', async () => {
    const url = await db.scratchDatabase();
    const pool = poolOn(url);
    await migratePostgres(pool);
    await pool.query('INSERT INTO schema_migration (version) VALUES ($1)', [
      postgresMigrations.length + 1,
    ]);
    await expect(openPostgresStore(url, { max: 1 })).rejects.toThrow(/newer than this code/);
  });

  it('orders names bytewise (COLLATE "C"), as SQLite does, whatever the locale', async () => {
    // A database whose default collation is natural-language (ICU English).
    const url = await db.scratchDatabase(
      "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'",
    );
    const pool = poolOn(url);
    await migratePostgres(pool);
    const store = createPostgresStore(pool);
    for (const name of ['zed', 'əlif', '~tilde', 'Alpha'])
      await store.createContact(alice, { name });
    const { items } = await store.listContacts(alice, { terms: [], after: undefined, limit: 10 });
    // By UTF-8 bytes: 'z' (7a) < '~' (7e) < 'ə' (c9 99). ICU English would give
    // ~tilde, Alpha, əlif, zed (symbols first, schwa next to e).
    expect(items.map((c) => c.name)).toEqual(['Alpha', 'zed', '~tilde', 'əlif']);
  });
});
