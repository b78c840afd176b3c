/**
 * A few promises around plain IndexedDB, enough for the field app's three stores. No library: the
 * field app must stay small, and these are the only calls it makes.
 *
 * - `outbox`: reports and checks made on this device and not yet accepted by the server (photos as Blobs)
 * - `sent`: what this device has sent, by Idempotency-Key, with the case it became
 * - `snapshots`: the last answer of each list the field app shows, so it still shows them offline
 */
export const DB_NAME = 'onegrid-field';
const DB_VERSION = 1;
export type StoreName = 'outbox' | 'sent' | 'snapshots';

let opening: Promise<IDBDatabase> | null = null;

export function openFieldDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('sent')) db.createObjectStore('sent', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('snapshots')) db.createObjectStore('snapshots', { keyPath: 'name' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // another tab upgrading the schema must not be blocked by this one
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function getAll<T>(store: StoreName): Promise<T[]> {
  const db = await openFieldDb();
  return done(db.transaction(store, 'readonly').objectStore(store).getAll() as IDBRequest<T[]>);
}

export async function getOne<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
  const db = await openFieldDb();
  return done(db.transaction(store, 'readonly').objectStore(store).get(key) as IDBRequest<T | undefined>);
}

/** Writes (put) and deletes across stores in one transaction: all of them happen, or none. */
export async function write(ops: { put?: [StoreName, unknown][]; del?: [StoreName, IDBValidKey][] }): Promise<void> {
  const stores = [...new Set([...(ops.put ?? []).map(([s]) => s), ...(ops.del ?? []).map(([s]) => s)])];
  if (!stores.length) return;
  const db = await openFieldDb();
  const tx = db.transaction(stores, 'readwrite');
  const finished = committed(tx);
  for (const [store, value] of ops.put ?? []) tx.objectStore(store).put(value);
  for (const [store, key] of ops.del ?? []) tx.objectStore(store).delete(key);
  await finished;
}

export async function clearStore(store: StoreName): Promise<void> {
  const db = await openFieldDb();
  const tx = db.transaction(store, 'readwrite');
  const finished = committed(tx);
  tx.objectStore(store).clear();
  await finished;
}
