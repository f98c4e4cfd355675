// Test-only: the engines every store and API suite runs on (describe.each(engines)). Each
// test file gets one PostgreSQL database of its own, named contacts_test_<pid>_<random>,
// migrated once, emptied between tests (TRUNCATE, not re-created: seconds saved per file),
// and dropped after. Only databases this file created are ever dropped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres } from './postgres-migrations.ts';
import { createPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-database.ts';
import type { ContactStore, StoreQuotas } from './store.ts';

export const engines = ['sqlite', 'postgres'] as const;
export type Engine = (typeof engines)[number];

/** The machine's (and CI's) PostgreSQL: trust auth, user postgres. */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Small pools: every test file runs at once on a 2-core machine. */
const POOL_MAX = 4;

export interface TestDatabase {
  /** Settings for startContactsApi: a SQLite file, or a database URL. */
  readonly settings: { databaseFile: string; databaseUrl?: string; databasePoolSize?: number };
  /** An empty store: SQLite in memory; PostgreSQL: the file's database, truncated. */
  emptyStore(quotas?: StoreQuotas): Promise<ContactStore>;
  /** Another store on the same database with a pool of its own (another replica). */
  otherStore(quotas?: StoreQuotas): Promise<ContactStore>;
  /** PostgreSQL only: a pool on the file's database (for tests that look at tables). */
  pool(): pg.Pool;
  /**
   * PostgreSQL only: the URL of another, empty and unmigrated, database (dropped after);
   * `options` are CREATE DATABASE options (a locale).
   */
  scratchDatabase(options?: string): Promise<string>;
}

/** Registers beforeAll/afterAll hooks in the calling describe block. */
export function useTestDatabase(engine: Engine): TestDatabase {
  return engine === 'sqlite' ? sqliteDatabase() : postgresDatabase();
}

function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'contacts-store-'));
  const file = path.join(dir, 'contacts.sqlite');
  const opened: ContactStore[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const track = (store: ContactStore) => {
    opened.push(store);
    return store;
  };
  return {
    settings: { databaseFile: file },
    emptyStore: async (quotas) => track(openSqliteStore(':memory:', quotas)),
    otherStore: async (quotas) => track(openSqliteStore(file, quotas)),
    pool: () => {
      throw new Error('no pool on SQLite');
    },
    scratchDatabase: () => Promise.reject(new Error('no scratch database on SQLite')),
  };
}

function postgresDatabase(): TestDatabase {
  const name = `contacts_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  const scratch: string[] = [];
  let main: pg.Pool | undefined;
  const newPool = () => {
    const pool = new pg.Pool({ connectionString: url.href, max: POOL_MAX });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    main = newPool();
    // From here on afterAll drops it, even if the migration below fails.
    await migratePostgres(main);
  });
  afterAll(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    // FORCE: a connection a failed test left open must not keep the database alive.
    if (!main) return; // never created (the server is not reachable): one error is enough
    for (const db of [name, ...scratch]) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
  const pool = () => {
    if (!main) throw new Error('the test database is made in beforeAll');
    return main;
  };
  return {
    settings: { databaseFile: '', databaseUrl: url.href, databasePoolSize: POOL_MAX },
    async emptyStore(quotas) {
      await pool().query(
        'TRUNCATE contact, contact_prefix, search_owner, idempotency_key RESTART IDENTITY',
      );
      return createPostgresStore(pool(), { quotas });
    },
    otherStore: async (quotas) => createPostgresStore(newPool(), { quotas }),
    pool,
    async scratchDatabase(options = '') {
      const db = `${name}_${scratch.length + 1}`;
      scratch.push(db);
      await admin(`CREATE DATABASE ${db} ${options}`);
      const scratchUrl = new URL(url);
      scratchUrl.pathname = `/${db}`;
      return scratchUrl.href;
    },
  };
}

/** One statement on the server's maintenance database; one clear line when it is not there. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new Error(
      `PostgreSQL at ${new URL(SERVER).host} (user postgres, TEST_POSTGRES_URL) is not reachable (${code}): the PostgreSQL half of the store and API tests needs it`,
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
