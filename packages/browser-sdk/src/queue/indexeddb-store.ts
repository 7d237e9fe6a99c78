import type { QueueItem } from '@weft/core';
import { createStore, promisifyRequest } from 'idb-keyval';
import type { StoredIdentity } from '../identity/resolve-identity.js';
import {
  type ClaimingStore,
  type ClaimResult,
  claimRecords,
  type LeaseOptions,
  type Leases,
  type OwnedRecord,
  toRecord,
} from './lease.js';

export interface IndexedDbStoreOptions extends LeaseOptions {
  /** Database name; one per write key, so two clients on a page never mix their events. */
  databaseName: string;
}

interface LeaseRecord {
  owner: string;
  leaseUntil: number;
}

// Events are keyed by messageId (a string); the store's own records have array keys, so no
// messageId can collide with them.
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
  /** The identity as the last claim read it. */
  let storedIdentity: StoredIdentity | undefined;
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
      const request = store.getAll() as IDBRequest<(OwnedRecord | LeaseRecord | StoredIdentity)[]>;
      // Written from the request's own callback: the transaction is still active there.
      request.onsuccess = () => {
        const records: OwnedRecord[] = [];
        const before: Leases = {};
        // An event has its JSON; a lease has an owner and no JSON; the identity has neither.
        for (const value of request.result) {
          if ('json' in value) records.push(value);
          else if ('owner' in value) before[value.owner] = value.leaseUntil;
          else storedIdentity = value;
        }
        Object.assign(result, claimRecords(records, before, options));
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
    // Read with the queue: the store is chosen by a first `load`, which comes before this.
    loadIdentity: async () => storedIdentity,
    saveIdentity(identity) {
      unsavedIdentity = identity;
      return write(() => undefined);
    },
  };
}
