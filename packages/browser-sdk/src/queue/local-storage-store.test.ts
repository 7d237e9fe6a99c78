// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeItem, testQueueStore } from '../../../core/src/queue/store.contract.js';
import { testClaimingStore } from './claims.contract.js';
import { createLocalStorageStore } from './local-storage-store.js';

beforeEach(() => localStorage.clear());
let keys = 0;
const newKey = () => `weft-test-${++keys}`;

testQueueStore('localStorage', {
  create: () =>
    createLocalStorageStore({ owner: 'tab', leaseMs: 10_000, now: Date.now, storage: localStorage, key: newKey() }),
});

let clockMs = 0;
const keyOf = new WeakMap<object, string>();
testQueueStore('localStorage, reopened by the next page', {
  create() {
    const key = newKey();
    const store = createLocalStorageStore({
      owner: 'page-1',
      leaseMs: 10_000,
      now: () => clockMs,
      storage: localStorage,
      key,
    });
    keyOf.set(store, key);
    return store;
  },
  reopen(store) {
    clockMs += 20_000;
    return createLocalStorageStore({
      owner: 'page-2',
      leaseMs: 10_000,
      now: () => clockMs,
      storage: localStorage,
      key: keyOf.get(store) ?? '',
    });
  },
});

testClaimingStore('localStorage', {
  newStorage: newKey,
  open: (key, options) => createLocalStorageStore({ ...options, storage: localStorage, key }),
});

describe('localStorage store', () => {
  it('rejects a write that hits the quota and keeps what it had', async () => {
    const key = newKey();
    const data = new Map<string, string>();
    const storage = {
      getItem: (name: string) => data.get(name) ?? null,
      setItem(name: string, value: string) {
        if (value.length > 400) throw new DOMException('full', 'QuotaExceededError');
        data.set(name, value);
      },
    } as unknown as Storage;
    const store = createLocalStorageStore({ owner: 'tab', leaseMs: 10_000, now: Date.now, storage, key });
    await store.put([makeItem('a')]);
    await expect(store.put([makeItem('b'), makeItem('c')])).rejects.toThrow(/full/);
    expect((await store.load()).map((item) => item.id)).toEqual(['a']);
  });
});

describe('localStorage store: renewal cost', () => {
  it('renews a tab’s lease without rewriting its queue', async () => {
    const key = newKey();
    const store = createLocalStorageStore({ owner: 'tab', leaseMs: 10_000, now: Date.now, storage: localStorage, key });
    await store.put(Array.from({ length: 1_000 }, (_, index) => makeItem(`id-${index}`)));
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    for (let round = 0; round < 5; round++) expect(await store.renew()).toEqual([]);
    expect(setItem.mock.calls.map(([name]) => name)).toEqual(Array(5).fill(`${key}:leases`));
  });
});
