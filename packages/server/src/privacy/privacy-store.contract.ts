// The contract every PrivacyStore keeps (privacy/privacy-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { ContactStore } from '../contacts/contact-store.js';
import { type IngestHarness, ingest, type OpenIngestWith } from '../storage/store-harness.contract.js';
import type { PrivacyStore } from './privacy-store.js';

const minute = 60_000;

/** What the privacy contract needs: the privacy store, and the contacts to make and read what it erases. */
type PrivacyParts = {
  readonly privacy: PrivacyStore;
  readonly contacts: Pick<ContactStore, 'queries' | 'writes' | 'notes' | 'merges'>;
};

async function idOf(harness: IngestHarness & { readonly store: PrivacyParts }, userId: string): Promise<number> {
  const row = await harness.store.contacts.queries.profileByIdentifier('user_id', userId);
  if (!row) throw new Error(`no profile holds user_id:${userId}`);
  return row.id;
}

export function testPrivacyStoreContract(open: OpenIngestWith<PrivacyParts>): void {
  describe('PrivacyStore contract', () => {
    it('exports a contact with the profiles merged into it, its notes, edits and events, oldest first', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'u1', messageId: 'm1', traits: { plan: 'pro' } });
      harness.clock.time += minute;
      await ingest(harness, { type: 'track', anonymousId: 'a1', event: 'Viewed', messageId: 'm2' });
      const id = await idOf(harness, 'u1');
      const other = await harness.store.contacts.queries.profileByIdentifier('anonymous_id', 'a1');
      await harness.store.contacts.merges.merge(id, other?.id ?? 0);
      await harness.store.contacts.notes.add(id, 'called', undefined);
      await harness.store.contacts.writes.patch(id, { owner: 'sam' });
      const exported = await harness.store.privacy.exporter.exportContact(id, { id: 'shown' }, harness.clock.time);
      expect(exported.contact).toEqual({ id: 'shown' });
      expect(exported.profileIds).toHaveLength(2);
      expect(exported.notes.map((note) => note.body)).toEqual(['called']);
      expect(exported.edits.map((edit) => edit.changes)).toContainEqual({ owner: 'sam' });
      expect(exported.events.map((event) => event.messageId)).toEqual(['m1', 'm2']);
      await harness.close();
    });

    it('erases a contact and what merged into it; its old events are refused after, newer ones start afresh', async () => {
      const harness = await open();
      await ingest(
        harness,
        { type: 'identify', userId: 'gone', anonymousId: 'a1', traits: { email: 'gone@example.com' } },
        { type: 'identify', userId: 'kept' },
      );
      const id = await idOf(harness, 'gone');
      await harness.store.contacts.notes.add(id, 'a note', undefined);
      const before = harness.clock.time;
      harness.clock.time += minute;
      const summary = await harness.store.privacy.eraser.erase(id, { suppress: false });
      expect(summary).toEqual({
        erasedAt: harness.clock.time,
        profiles: 1,
        identifiers: 3,
        events: 1,
        notes: 1,
        suppressed: false,
      });
      expect(await harness.store.contacts.queries.profileById(id)).toBeUndefined();
      expect(await harness.store.contacts.queries.profileByIdentifier('anonymous_id', 'a1')).toBeUndefined();
      await idOf(harness, 'kept');

      const late = { type: 'track', userId: 'gone', event: 'Late', timestamp: new Date(before).toISOString() };
      expect(await ingest(harness, late)).toEqual(['discarded']);
      harness.clock.time += minute;
      expect(await ingest(harness, { type: 'track', userId: 'gone', event: 'Back' })).toEqual(['inserted']);
      expect(await idOf(harness, 'gone')).not.toBe(id);
      await harness.close();
    });

    it('erases the survivor when the contact was merged into it after it was looked up', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'one' }, { type: 'identify', userId: 'two' });
      const [one, two] = [await idOf(harness, 'one'), await idOf(harness, 'two')];
      await harness.store.contacts.merges.merge(one, two);
      harness.clock.time += minute;
      const summary = await harness.store.privacy.eraser.erase(two, { suppress: false });
      expect(summary).toMatchObject({ profiles: 2, identifiers: 2, events: 2 });
      expect(await harness.store.contacts.queries.profileByIdentifier('user_id', 'two')).toBeUndefined();
      expect(await harness.store.contacts.queries.profileByIdentifier('user_id', 'one')).toBeUndefined();
      await harness.close();
    });

    it('suppresses the identifiers of an erased contact until lifted, and lists them by hash only', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'stop', traits: { email: 'stop@example.com' } });
      harness.clock.time += minute;
      const summary = await harness.store.privacy.eraser.erase(await idOf(harness, 'stop'), { suppress: true });
      expect(summary.suppressed).toBe(true);
      harness.clock.time += minute;
      expect(await ingest(harness, { type: 'track', userId: 'stop', event: 'Again' })).toEqual(['discarded']);

      const { suppressions } = harness.store.privacy;
      const page = await suppressions.list({ limit: 10 });
      expect(page.data.map((entry) => entry.type).sort()).toEqual(['email', 'user_id']);
      expect(JSON.stringify(page)).not.toContain('stop');
      const firstPage = await suppressions.list({ limit: 1 });
      const secondPage = await suppressions.list({ limit: 1, cursor: firstPage.nextCursor ?? undefined });
      expect([...firstPage.data, ...secondPage.data]).toEqual(page.data);

      expect(await suppressions.lift({ type: 'user_id', value: 'stop' })).toBe(true);
      expect(await suppressions.lift({ type: 'user_id', value: 'stop' })).toBe(false);
      harness.clock.time += minute;
      expect(await ingest(harness, { type: 'track', userId: 'stop', event: 'Welcome back' })).toEqual(['inserted']);
      await harness.close();
    });
  });
}
