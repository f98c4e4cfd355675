// One IndexedDB object store, reached through one connection per page. Opening a database is
// a round trip to the browser's storage process, slow enough to show on the sign-in path;
// a transaction on an open connection is not. The connection is opened again
// when the browser closes it (site data cleared) or another page upgrades the database.

export interface ObjectStoreAccess {
  /** Resolves with the request's result once its transaction has committed. */
  run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T>;
  /** Opens the connection ahead of the first transaction that will need it. */
  open(): Promise<IDBDatabase>;
}

/** `version` undefined: the database's current version (created at 1 with the store). */
export function objectStoreAccess(
  database: string,
  storeName: string,
  version?: number,
): ObjectStoreAccess {
  let connection: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (connection) return connection;
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(database, version);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(storeName)) {
          request.result.createObjectStore(storeName);
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        const forget = () => {
          if (connection === opening) connection = undefined;
        };
        db.onclose = forget;
        // Give way to an upgrade in another page; the next transaction opens anew.
        db.onversionchange = () => {
          db.close();
          forget();
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    connection = opening;
    opening.catch(() => {
      if (connection === opening) connection = undefined; // a later call may try again
    });
    return opening;
  };
  const transaction = async (mode: IDBTransactionMode): Promise<IDBTransaction> => {
    const db = await open();
    try {
      return db.transaction(storeName, mode);
    } catch (error) {
      // Closed under us before its close event arrived: once more, on a new connection.
      if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      if (connection && (await connection) === db) connection = undefined;
      return (await open()).transaction(storeName, mode);
    }
  };
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest) => {
    const tx = await transaction(mode);
    const request = act(tx.objectStore(storeName));
    // On commit, not on the request: whoever reads next (another tab too) sees the write.
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return { run, open };
}
