import type { QueueItem } from '@weft/core';
import { createStore, promisifyRequest } from 'idb-keyval';
import type { StoredIdentity } from '../identity/resolve-identity.js';
import { type ClaimingStore, type ClaimResult, claimRecords, type LeaseOptions, toRecord } from './lease.js';

export interface IndexedDbStoreOptions extends LeaseOptions {
  /** Database name; one per write key, so two clients on a page never mix their events. */
  databaseName: string;
}

interface LeaseRecord {
  owner: string;
  leaseUntil: number;
}

// Events are keyed by messageId (a string). The store's own records have array keys, which
// IndexedDB orders after every string: one key range reads the events alone, and no messageId
// can collide with them.
const IDENTITY_KEY = ['identity'];
const leaseKey = (owner: string) => ['lease', owner];

/**
 * The queue in IndexedDB (through idb-keyval), one record per event keyed by messageId, one lease
 * record per tab, and the visitor's identity. Claims read and write in the same read-write
 * transaction, so two tabs never claim the same item.
 */
export function createIndexedDbStore(options: IndexedDbStoreOptions): ClaimingStore {
  const useStore = createStore(options.databaseName, 'queue');
  /** The identity not yet written: it goes into the next transaction, before any event queued after it. */
  let unsavedIdentity: StoredIdentity | undefined;
  /** Runs `apply` in one read-write transaction and settles when it commits. */
  const write = <T>(apply: (store: IDBObjectStore) => T): Promise<T> =>
    useStore('readwrite', (store) => {
      if (unsavedIdentity) store.put(unsavedIdentity, IDENTITY_KEY);
      unsavedIdentity = undefined;
      const result = apply(store);
      return promisifyRequest(store.transaction).then(() => result);
    });
  const putLease = (store: IDBObjectStore, leaseUntil: number) =>
    store.put({ owner: options.owner, leaseUntil } satisfies LeaseRecord, leaseKey(options.owner));

  const claim = (): Promise<ClaimResult> =>
    write((store) => {
      const result = {} as ClaimResult;
      const leases = store.getAll(IDBKeyRange.bound(['lease'], ['lease', []])) as IDBRequest<LeaseRecord[]>;
      const records = store.getAll(IDBKeyRange.upperBound([], true));
      // Written from the request's own callback: the transaction is still active there.
      records.onsuccess = () => {
        const before = Object.fromEntries(leases.result.map((lease) => [lease.owner, lease.leaseUntil]));
        Object.assign(result, claimRecords(records.result, before, options));
        for (const owner in before) if (!(owner in result.leases)) store.delete(leaseKey(owner));
        putLease(store, result.leases[options.owner] as number);
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
        // The new records are covered from now, even where another tab took this tab's lease away.
        putLease(store, options.now() + options.leaseMs);
      });
    },
    remove: async (ids: string[]) => {
      await write((store) => {
        for (const id of ids) store.delete(id);
      });
    },
    loadIdentity: async () => useStore('readonly', (store) => promisifyRequest(store.get(IDENTITY_KEY))),
    saveIdentity(identity) {
      unsavedIdentity = identity;
      return write(() => undefined);
    },
  };
}
