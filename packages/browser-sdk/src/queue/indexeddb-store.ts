import type { QueueItem } from '@weft/core';
import { createStore, promisifyRequest } from 'idb-keyval';
import {
  type ClaimingStore,
  type ClaimResult,
  claimRecords,
  type LeasedRecord,
  type LeaseOptions,
  toRecord,
} from './lease.js';

export interface IndexedDbStoreOptions extends LeaseOptions {
  /** Database name; one per write key, so two clients on a page never mix their events. */
  databaseName: string;
}

/**
 * The queue in IndexedDB (through idb-keyval), one record per event keyed by messageId. Claims
 * read and write in the same read-write transaction, so two tabs never claim the same item.
 */
export function createIndexedDbStore(options: IndexedDbStoreOptions): ClaimingStore {
  const useStore = createStore(options.databaseName, 'queue');
  /** Runs `apply` in one read-write transaction and settles when it commits. */
  const write = <T>(apply: (store: IDBObjectStore) => T): Promise<T> =>
    useStore('readwrite', (store) => {
      const result = apply(store);
      return promisifyRequest(store.transaction).then(() => result);
    });

  const claim = (): Promise<ClaimResult> =>
    write((store) => {
      const result: ClaimResult = { mine: [], claimed: [], changed: [] };
      const request = store.getAll() as IDBRequest<LeasedRecord[]>;
      // Written from the request's own callback: the transaction is still active there.
      request.onsuccess = () => {
        Object.assign(result, claimRecords(request.result, options));
        for (const record of result.changed) store.put(record, record.id);
      };
      return result;
    });

  return {
    // async: a missing or broken indexedDB throws at once, and must reject instead.
    load: async () => (await claim()).mine,
    renew: async () => (await claim()).claimed,
    put: async (items: QueueItem[]) => {
      await write((store) => {
        for (const item of items) store.put(toRecord(item, options), item.id);
      });
    },
    remove: async (ids: string[]) => {
      await write((store) => {
        for (const id of ids) store.delete(id);
      });
    },
  };
}
