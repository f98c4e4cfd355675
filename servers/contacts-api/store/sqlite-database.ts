// Opens the SQLite file: pragmas chosen for durability, then migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './sqlite-migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { ContactStore, StoreQuotas } from './store.ts';

/** The contact store on the SQLite file `file` (created and migrated if needed). */
export function openSqliteStore(file: string, quotas?: StoreQuotas): ContactStore {
  return createSqliteStore(openDatabase(file), { quotas });
}

/** Opens (creating if needed) the database at `file`; `':memory:'` gives a throwaway one. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL: readers never block the writer (or each other), and a commit is one append.
  db.pragma('journal_mode = WAL');
  // IMPORTANT: FULL (the default outside WAL, but WAL setups often drop to NORMAL) fsyncs
  // the WAL on every commit, so "a crash mid-write loses nothing committed" holds even on
  // power loss. NORMAL would only fsync at checkpoints: still consistent, but the last
  // commits before a power cut could vanish after the client saw 201. Costs write latency
  // (one fsync per write request), not read throughput; see BENCHMARKS.md.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000'); // default 0; a second process (tests, sqlite3 CLI) may hold the lock
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(
      `contacts database schema is version ${version}, newer than this code (${migrations.length})`,
    );
  }
  db.transaction(() => {
    for (const step of migrations.slice(version)) {
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
