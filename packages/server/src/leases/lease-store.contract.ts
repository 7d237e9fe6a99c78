// The contract every LeaseStore keeps (leases/lease-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { OpenStoreParts } from '../storage/store-harness.contract.js';

export function testLeaseStoreContract(open: OpenStoreParts<'leases'>): void {
  describe('LeaseStore contract', () => {
    it('gives a piece of work to one holder at a time, renews it for that holder, and hands it on once expired', async () => {
      const { store, clock, close } = await open();
      const { leases } = store;
      const taken = await leases.acquire('import:imp_1', 'server-a', 30_000);
      expect(taken).toEqual({ name: 'import:imp_1', holder: 'server-a', expiresAt: clock.time + 30_000 });
      expect(await leases.acquire('import:imp_1', 'server-b', 30_000)).toBeUndefined();
      // Another piece is free.
      expect(await leases.acquire('backfill', 'server-b', 30_000)).toMatchObject({ holder: 'server-b' });
      clock.time += 20_000;
      expect(await leases.acquire('import:imp_1', 'server-a', 30_000)).toMatchObject({
        expiresAt: clock.time + 30_000,
      });
      clock.time += 29_000;
      expect(await leases.acquire('import:imp_1', 'server-b', 30_000)).toBeUndefined();
      // server-a stopped renewing (killed): once its lease has run out, server-b takes the work over.
      clock.time += 2_000;
      expect(await leases.acquire('import:imp_1', 'server-b', 30_000)).toMatchObject({ holder: 'server-b' });
      expect(await leases.release('import:imp_1', 'server-a')).toBe(false);
      expect(await leases.release('import:imp_1', 'server-b')).toBe(true);
      expect(await leases.acquire('import:imp_1', 'server-a', 30_000)).toMatchObject({ holder: 'server-a' });
      await close();
    });

    it('gives a free piece to exactly one of many holders asking at once', async () => {
      const { store, close } = await open();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, index) => store.leases.acquire('sweep', `server-${index}`, 30_000)),
      );
      expect(answers.filter((answer) => answer !== undefined)).toHaveLength(1);
      await close();
    });
  });
}
