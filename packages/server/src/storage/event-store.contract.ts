// The contract every EventStore keeps (storage/event-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import { ingest, newEvents, type OpenStore } from './store-harness.contract.js';

export function testEventStoreContract(open: OpenStore): void {
  describe('EventStore contract', () => {
    it('stores each messageId once per source, answering one outcome per event in order', async () => {
      const harness = await open();
      const { events } = harness.store;
      expect(
        await ingest(
          harness,
          { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' },
          { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' },
          { type: 'track', userId: 'u1', event: 'B', messageId: 'm2' },
        ),
      ).toEqual(['inserted', 'duplicate', 'inserted']);
      expect(await ingest(harness, { type: 'track', userId: 'u1', event: 'A', messageId: 'm2' })).toEqual([
        'duplicate',
      ]);
      const other = newEvents(harness, [{ type: 'track', userId: 'u1', event: 'A', messageId: 'm1' }], {
        source: 'ios',
      });
      expect(await events.insertEvents(other)).toEqual(['inserted']);
      expect(await events.insertEvents([])).toEqual([]);
      await harness.close();
    });

    it('runs the identity step in the same write: the profile is there when the insert resolves', async () => {
      const harness = await open();
      await ingest(
        harness,
        { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
        { type: 'track', userId: 'u1', event: 'Paid' },
      );
      const row = await harness.store.contacts.queries.profileByIdentifier('user_id', 'u1');
      expect(row).toMatchObject({ event_count: 2 });
      expect(JSON.parse(row?.traits ?? '{}')).toEqual({ plan: 'pro' });
      await harness.close();
    });

    it('answers ping and its size', async () => {
      const harness = await open();
      expect(await harness.store.events.ping()).toBe(true);
      expect(await harness.store.events.sizeBytes()).toBeGreaterThan(0);
      await harness.close();
    });
  });
}
