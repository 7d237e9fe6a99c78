import type { QueueItem } from '@weft/core';
import {
  type ClaimingStore,
  type ClaimResult,
  claimRecords,
  type LeaseOptions,
  type Leases,
  type OwnedRecord,
  toRecord,
} from './lease.js';

export interface LocalStorageStoreOptions extends LeaseOptions {
  storage: Storage;
  /** The key holding the queue; the tabs' leases are under `<key>:leases`. */
  key: string;
}

type Records = Record<string, OwnedRecord>;

/**
 * The queue as one JSON object in localStorage, for where IndexedDB is missing or broken, and the
 * tabs' leases as another, so a renewal rewrites only the leases. Each operation reads, changes
 * and writes them in one synchronous task, which no other tab of the origin can interleave with,
 * so claims hold as they do in IndexedDB.
 */
export function createLocalStorageStore(options: LocalStorageStoreOptions): ClaimingStore {
  const { storage, key } = options;
  const leasesKey = `${key}:leases`;
  const read = <T>(name: string): T => JSON.parse(storage.getItem(name) ?? '{}') as T;
  // A quota error throws from here, and the caller's write rejects with it.
  const write = (name: string, value: object) => storage.setItem(name, JSON.stringify(value));

  function claim(): ClaimResult {
    const records = read<Records>(key);
    const result = claimRecords(Object.values(records), read<Leases>(leasesKey), options);
    for (const record of result.changed) records[record.id] = record;
    if (result.changed.length > 0) write(key, records);
    write(leasesKey, result.leases);
    return result;
  }

  function change(apply: (records: Records) => void): void {
    const records = read<Records>(key);
    apply(records);
    write(key, records);
    // The new records are covered from now, even where another tab took this tab's lease away.
    write(leasesKey, { ...read<Leases>(leasesKey), [options.owner]: options.now() + options.leaseMs });
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
