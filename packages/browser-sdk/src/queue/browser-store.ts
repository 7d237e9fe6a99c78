import type { DurableIdentityStore } from '../identity/identity.js';
import { createIndexedDbStore } from './indexeddb-store.js';
import type { ClaimingStore, LeaseOptions } from './lease.js';
import { createLocalStorageStore } from './local-storage-store.js';

export interface BrowserStoreOptions {
  /** Where to start in the chain IndexedDB → localStorage → memory. */
  preferred?: 'indexedDB' | 'localStorage' | 'memory' | undefined;
  writeKey: string;
  lease: LeaseOptions;
  warn(message: string): void;
}

const keepsNothing: ClaimingStore = {
  load: async () => [],
  renew: async () => [],
  put: async () => {},
  remove: async () => {},
};

/**
 * The queue's store: the first of IndexedDB, localStorage and memory that can load, warning at
 * each step down. The choice is made at the first call; writes asked for meanwhile wait for it.
 * The identity is kept in IndexedDB only: elsewhere it is in localStorage already.
 */
export function createBrowserStore(options: BrowserStoreOptions): ClaimingStore & DurableIdentityStore {
  const name = `weft:v1:queue:${options.writeKey}`;
  const chain: [string, () => ClaimingStore][] = [
    ['indexedDB', () => createIndexedDbStore({ ...options.lease, databaseName: name })],
    // Reading `localStorage` throws where the site's storage is blocked.
    ['localStorage', () => createLocalStorageStore({ ...options.lease, storage: localStorage, key: name })],
    // The engine's own queue is the memory: a copy of it would never be read (nothing survives to
    // load, no other tab sees it to claim), so this store keeps nothing.
    ['memory (events will not survive a reload)', () => keepsNothing],
  ];
  let chosen: Promise<ClaimingStore> | undefined;

  async function choose(): Promise<ClaimingStore> {
    let index = chain.findIndex(([label]) => label.startsWith(options.preferred ?? 'indexedDB'));
    for (; ; index++) {
      const [label, create] = chain[index] as [string, () => ClaimingStore];
      try {
        const store = create();
        await store.load();
        return store;
      } catch (error) {
        options.warn(`${label} is not usable (${error}); using ${chain[index + 1]?.[0]}`);
      }
    }
  }

  const use = () => (chosen ??= choose());
  return {
    load: async () => (await use()).load(),
    renew: async () => (await use()).renew(),
    put: async (items) => (await use()).put(items),
    remove: async (ids) => (await use()).remove(ids),
    loadIdentity: async () => (await use()).loadIdentity?.(),
    saveIdentity: async (identity) => (await use()).saveIdentity?.(identity),
  };
}
