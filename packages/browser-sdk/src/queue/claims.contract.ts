// What every store that tabs share must do besides the QueueStore contract: claims. Run by the
// IndexedDB and localStorage stores' tests. Not part of the build.
import { describe, expect, it } from 'vitest';
import { makeItem } from '../../../core/src/queue/store.contract.js';
import type { ClaimingStore, LeaseOptions } from './lease.js';

export interface ClaimContractOptions {
  /** Names fresh, empty shared storage (a database name, a localStorage key). */
  newStorage(): string;
  /** A store over that storage, as one tab would open it. */
  open(storage: string, lease: LeaseOptions): ClaimingStore;
}

const LEASE_MS = 10_000;

export function testClaimingStore(name: string, options: ClaimContractOptions): void {
  describe(`claims contract: ${name}`, () => {
    function twoTabs() {
      const clock = { now: 1_000 };
      const storage = options.newStorage();
      const tab = (owner: string) => options.open(storage, { owner, leaseMs: LEASE_MS, now: () => clock.now });
      return { clock, a: tab('tab-a'), b: tab('tab-b'), tab };
    }
    const ids = (items: { id: string }[]) => items.map((item) => item.id);

    it('leaves alone the items another tab holds while its lease runs', async () => {
      const { clock, a, b } = twoTabs();
      await a.put([makeItem('x'), makeItem('y')]);
      clock.now += LEASE_MS - 1;
      expect(await b.load()).toEqual([]);
      expect(await b.renew()).toEqual([]);
      expect(ids(await a.load())).toEqual(['x', 'y']);
    });

    it('lets another tab claim the items once the lease ran out, and then they are no longer the first tab’s', async () => {
      const { clock, a, b } = twoTabs();
      await a.put([makeItem('x')]);
      clock.now += LEASE_MS + 1;
      expect(ids(await b.renew())).toEqual(['x']);
      expect(await a.load()).toEqual([]);
      expect(await b.renew()).toEqual([]);
      expect(ids(await b.load())).toEqual(['x']);
    });

    it('keeps a tab’s items its own while it renews', async () => {
      const { clock, a, b } = twoTabs();
      await a.put([makeItem('x')]);
      for (let round = 0; round < 5; round++) {
        clock.now += LEASE_MS / 2;
        expect(await a.renew()).toEqual([]);
        expect(await b.renew()).toEqual([]);
      }
      expect(ids(await a.load())).toEqual(['x']);
    });

    it('gives each expired item to exactly one of two tabs claiming at once', async () => {
      const { clock, tab } = twoTabs();
      const dead = tab('tab-dead');
      await dead.put(Array.from({ length: 20 }, (_, index) => makeItem(`id-${String(index).padStart(2, '0')}`)));
      clock.now += LEASE_MS + 1;
      const [first, second] = await Promise.all([tab('tab-c').renew(), tab('tab-d').renew()]);
      const all = [...ids(first), ...ids(second)].sort();
      expect(all).toHaveLength(20);
      expect(new Set(all).size).toBe(20);
    });

    it('takes a removed item away from every tab', async () => {
      const { clock, a, b } = twoTabs();
      await a.put([makeItem('x'), makeItem('y')]);
      await a.remove(['x']);
      clock.now += LEASE_MS + 1;
      expect(ids(await b.renew())).toEqual(['y']);
    });
  });
}
