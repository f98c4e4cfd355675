// Which engine holds the contacts: PostgreSQL when a DATABASE_URL is given (several API
// replicas share it), else the SQLite file (the embedded default: nothing to install).
import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-database.ts';
import type { ContactStore, StoreQuotas } from './store.ts';

export interface StoreSettings {
  databaseFile: string;
  /** postgres://… */
  databaseUrl?: string | undefined;
  /** Connections per process on PostgreSQL; default 10. */
  databasePoolSize?: number | undefined;
  /** PostgreSQL: the longest a connect, statement or query may take; default 5 s. */
  databaseTimeoutMs?: number | undefined;
  /** Per-user bounds; default DEFAULT_QUOTAS. */
  quotas?: StoreQuotas | undefined;
}

export async function openStore(settings: StoreSettings): Promise<ContactStore> {
  if (settings.databaseUrl) {
    return openPostgresStore(settings.databaseUrl, {
      max: settings.databasePoolSize,
      timeoutMs: settings.databaseTimeoutMs,
      quotas: settings.quotas,
    });
  }
  return openSqliteStore(settings.databaseFile, settings.quotas);
}
