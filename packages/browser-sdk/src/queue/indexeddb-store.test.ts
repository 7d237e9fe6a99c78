// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { testQueueStore } from '../../../core/src/queue/store.contract.js';
import { testClaimingStore } from './claims.contract.js';
import { createIndexedDbStore } from './indexeddb-store.js';

let databases = 0;
const newDatabase = () => `weft-test-${++databases}`;
const lease = (owner: string) => ({ owner, leaseMs: 10_000, now: Date.now });

testQueueStore('indexedDB', {
  create: () => createIndexedDbStore({ ...lease('tab'), databaseName: newDatabase() }),
});

// A reload: a new page (a new owner) opens the same database once the old page's lease ran out.
let clockMs = 0;
const reopenable = new WeakMap<object, string>();
testQueueStore('indexedDB, reopened by the next page', {
  create() {
    const databaseName = newDatabase();
    const store = createIndexedDbStore({ owner: 'page-1', leaseMs: 10_000, now: () => clockMs, databaseName });
    reopenable.set(store, databaseName);
    return store;
  },
  reopen(store) {
    clockMs += 20_000;
    return createIndexedDbStore({
      owner: 'page-2',
      leaseMs: 10_000,
      now: () => clockMs,
      databaseName: reopenable.get(store) ?? '',
    });
  },
});

testClaimingStore('indexedDB', {
  newStorage: newDatabase,
  open: (databaseName, options) => createIndexedDbStore({ ...options, databaseName }),
});
