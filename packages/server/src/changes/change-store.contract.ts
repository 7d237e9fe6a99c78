// The contract every ChangeStore keeps (changes/change-store.ts), with the writes that record
// changes. Not part of the build.
import { describe, expect, it, vi } from 'vitest';
import { ingest, type OpenIngestWith, type OpenStore } from '../storage/store-harness.contract.js';
import type { ChangeStore } from './change-store.js';

const day = 86_400_000;

/**
 * What every ChangeStore keeps that needs only ingest: reading, the head, and retention (an engine
 * being ported runs this before it has every part of a store).
 */
export function testChangeFeedContract(open: OpenIngestWith<{ readonly changes: ChangeStore }>): void {
  describe('ChangeStore contract: reads and retention', () => {
    it('reads in commit order after a position, by type, and answers the head', async () => {
      const harness = await open();
      const { changes } = harness.store;
      expect(await changes.head()).toBe(0);
      await ingest(harness, { type: 'identify', userId: 'u1', messageId: 'm1', traits: { plan: 'pro' } });
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm2' });
      const all = await changes.read({ after: 0, limit: 10 });
      expect(all.map((change) => change.type)).toEqual(['contact.created', 'event.stored', 'event.stored']);
      const seqs = all.map((change) => change.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(3);
      expect(await changes.head()).toBe(seqs[2]);
      expect(JSON.parse(all[0]?.data ?? '{}')).toMatchObject({ traits: { plan: 'pro' } });
      expect(all[0]?.contactId).toMatch(/^ct_/);
      expect(all[0]?.at).toBe(harness.clock.time);

      expect((await changes.read({ after: seqs[0] ?? 0, limit: 1 })).map((change) => change.seq)).toEqual([seqs[1]]);
      expect((await changes.read({ after: 0, limit: 10, types: ['event.stored'] })).map((c) => c.seq)).toEqual(
        seqs.slice(1),
      );
      expect(await changes.read({ after: seqs[2] ?? 0, limit: 10 })).toEqual([]);
      await harness.close();
    });

    it('prunes each class past its age in slices, no further than the consumers it waits for', async () => {
      const harness = await open();
      const { changes } = harness.store;
      for (let i = 0; i < 5; i++) await ingest(harness, { type: 'identify', userId: `u${i}`, messageId: `m${i}` });
      const written = await changes.read({ after: 0, limit: 100 });
      const storedSeqs = written.filter((c) => c.type === 'event.stored').map((c) => c.seq);
      harness.clock.time += 10 * day;

      // A consumer at the third event holds back everything after it.
      const third = storedSeqs[2] ?? 0;
      await changes.saveConsumer({ name: 'hook-a', position: third, isEnabled: true });
      await changes.saveConsumer({ name: 'hook-b', position: 0, isEnabled: false });
      expect(await changes.heldAt(harness.clock.time, day)).toBe(third);
      const request = { eventsBefore: harness.clock.time - day, contactsBefore: 0, heldAt: third, maxRows: 2 };
      expect(await changes.prune(request)).toBe(2);
      expect(await changes.prune(request)).toBe(1);
      expect(await changes.prune(request)).toBe(0);
      const left = await changes.read({ after: 0, limit: 100 });
      expect(left.filter((c) => c.type === 'event.stored').map((c) => c.seq)).toEqual(storedSeqs.slice(3));
      expect(left.filter((c) => c.type === 'contact.created')).toHaveLength(5);
      expect(await changes.horizons()).toEqual({ events: third, contacts: 0 });

      // A consumer that has not moved within the maximum age is no longer waited for.
      harness.clock.time += 2 * day;
      expect(await changes.heldAt(harness.clock.time, day)).toBe(Number.POSITIVE_INFINITY);
      await harness.close();
    });
  });
}

export function testChangeStoreContract(open: OpenStore): void {
  testChangeFeedContract(open);
  describe('ChangeStore contract', () => {
    it('calls its listeners after each commit that recorded changes, until stopped', async () => {
      const harness = await open();
      let calls = 0;
      const stop = harness.store.changes.onCommit(() => calls++);
      await harness.store.changes.listening();
      // Soon after the commit: at once in one process, through the database's notifications when
      // servers share one. Notifications arrive in commit order, so a count that stays put after a
      // later commit was heard says an earlier one was not.
      const heard = async (expected: number) => {
        await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(expected), { timeout: 5_000 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(calls).toBe(expected);
      };
      await ingest(harness, { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' });
      await heard(1);
      await ingest(harness, { type: 'track', userId: 'u1', event: 'A', messageId: 'm1' });
      await harness.store.contacts.writes.create({ email: 'ada@example.com' });
      await heard(2);
      stop();
      await ingest(harness, { type: 'track', userId: 'u1', event: 'B', messageId: 'm2' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toBe(2);
      await harness.close();
    });
  });
}
