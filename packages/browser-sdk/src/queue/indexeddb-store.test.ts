// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { makeItem, testQueueStore } from '../../../core/src/queue/store.contract.js';
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

describe('indexedDB store: costs and the identity', () => {
  it('renews a tab’s lease with one write, whatever the length of its queue', async () => {
    const store = createIndexedDbStore({ ...lease('tab'), databaseName: newDatabase() });
    await store.put(Array.from({ length: 1_000 }, (_, index) => makeItem(`id-${String(index).padStart(4, '0')}`)));
    const puts = vi.spyOn(IDBObjectStore.prototype, 'put');
    const deletes = vi.spyOn(IDBObjectStore.prototype, 'delete');
    for (let round = 0; round < 5; round++) expect(await store.renew()).toEqual([]);
    expect(puts).toHaveBeenCalledTimes(5);
    expect(deletes).not.toHaveBeenCalled();
    expect(await store.load()).toHaveLength(1_000);
  });

  it('keeps the identity out of the queue, and writes it no later than the next event', async () => {
    const databaseName = newDatabase();
    const store = createIndexedDbStore({ ...lease('tab'), databaseName });
    await store.load();
    const identity = { anonymousId: 'anon-1', id: 'user-1', traits: {}, generation: 5 };
    const saved = store.saveIdentity?.(identity);
    const put = store.put([makeItem('x')]);
    await put;
    // Read on another connection once the event's transaction committed: the identity is there.
    const other = createIndexedDbStore({ ...lease('other'), databaseName });
    expect(await other.load()).toEqual([]);
    expect(await other.loadIdentity?.()).toEqual(identity);
    await saved;
    expect((await store.load()).map((item) => item.id)).toEqual(['x']);
  });
});
