import type { QueueItem } from '@weft/core';
import {
  type ClaimingStore,
  type ClaimResult,
  claimRecords,
  type LeasedRecord,
  type LeaseOptions,
  toRecord,
} from './lease.js';

export interface LocalStorageStoreOptions extends LeaseOptions {
  storage: Storage;
  /** The one key holding the queue. */
  key: string;
}

type Records = Record<string, LeasedRecord>;

/**
 * The queue as one JSON object in localStorage, for where IndexedDB is missing or broken. Each
 * operation reads, changes and writes it in one synchronous task, which no other tab of the
 * origin can interleave with, so claims hold as they do in IndexedDB.
 */
export function createLocalStorageStore(options: LocalStorageStoreOptions): ClaimingStore {
  const { storage, key } = options;
  const read = (): Records => JSON.parse(storage.getItem(key) ?? '{}') as Records;
  // A quota error throws from here, and the caller's write rejects with it.
  const write = (records: Records) => storage.setItem(key, JSON.stringify(records));

  function claim(): ClaimResult {
    const records = read();
    const result = claimRecords(Object.values(records), options);
    for (const record of result.changed) records[record.id] = record;
    if (result.changed.length > 0) write(records);
    return result;
  }

  function change(apply: (records: Records) => void): void {
    const records = read();
    apply(records);
    write(records);
  }

  return {
    load: async () => claim().mine,
    renew: async () => claim().claimed,
    put: async (items: QueueItem[]) =>
      change((records) => {
        for (const item of items) records[item.id] = toRecord(item, options);
      }),
    remove: async (ids: string[]) =>
      change((records) => {
        for (const id of ids) delete records[id];
      }),
  };
}
