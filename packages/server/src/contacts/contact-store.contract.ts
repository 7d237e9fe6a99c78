// The contract every ContactStore keeps (contacts/contact-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import { ingest, type OpenIngestWith, type OpenStore } from '../storage/store-harness.contract.js';
import type { ContactQueries, ContactStore, ContactWrites } from './contact-store.js';

const minute = 60_000;

async function profileOf(
  harness: { readonly store: { readonly contacts: { readonly queries: ContactQueries } } },
  type: string,
  value: string,
) {
  const row = await harness.store.contacts.queries.profileByIdentifier(type, value);
  if (!row) throw new Error(`no profile holds ${type}:${value}`);
  return row;
}

/** A store with ingest and the contacts' reads: all the queries contract needs. */
export type OpenContactQueries = OpenIngestWith<{ readonly contacts: { readonly queries: ContactQueries } }>;

/** The reads of contacts ingest made: by id and identifier, with details, and listed page by page. */
export function testContactQueriesContract(open: OpenContactQueries): void {
  describe('ContactQueries contract', () => {
    it('finds a profile ingest made by its id, public id and identifiers, with its details', async () => {
      const harness = await open();
      const { queries } = harness.store.contacts;
      await ingest(harness, {
        type: 'identify',
        userId: 'u1',
        anonymousId: 'a1',
        traits: { email: 'Ada@Example.com', plan: 'pro' },
      });
      await ingest(harness, { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } });
      const row = await profileOf(harness, 'user_id', 'u1');
      expect(row).toMatchObject({ merged_into: null, event_count: 2, owner: null, lifecycle_stage: null });
      expect(JSON.parse(row.traits)).toEqual({ email: 'Ada@Example.com', plan: 'pro' });
      expect(await queries.profileById(row.id)).toEqual(row);
      expect(await queries.profileByPublicId(row.public_id)).toEqual(row);
      expect((await profileOf(harness, 'email', 'ada@example.com')).id).toBe(row.id);
      expect(await queries.profileByIdentifier('user_id', 'nobody')).toBeUndefined();
      const details = (await queries.detailsOf([row.id])).get(row.id);
      expect(details?.identifiers.map((identifier) => `${identifier.type}:${identifier.value}`).sort()).toEqual([
        'anonymous_id:a1',
        'email:ada@example.com',
        'user_id:u1',
      ]);
      expect(details?.companies.map((company) => company.group_id)).toEqual(['acme']);
      await harness.close();
    });

    it('lists live contacts in sort order, by a prefix, page after page', async () => {
      const harness = await open();
      for (const [i, name] of ['cara', 'abe', 'bea'].entries()) {
        harness.clock.time += minute;
        await ingest(harness, { type: 'identify', userId: `u${i}`, traits: { email: `${name}@example.com` } });
      }
      const { queries } = harness.store.contacts;
      const emails = async (rows: Promise<{ contact_email: string }[]>) => (await rows).map((r) => r.contact_email);
      expect(await emails(queries.listContacts('email', undefined, undefined, 10))).toEqual([
        'abe@example.com',
        'bea@example.com',
        'cara@example.com',
      ]);
      expect(await emails(queries.listContacts('-lastSeenAt', undefined, undefined, 2))).toEqual([
        'bea@example.com',
        'abe@example.com',
      ]);
      const first = await queries.listContacts('email', undefined, undefined, 1);
      const after = { sort: 'email', key: first[0]?.contact_email ?? '', id: first[0]?.id ?? 0 };
      expect(await emails(queries.listContacts('email', after, undefined, 10))).toEqual([
        'bea@example.com',
        'cara@example.com',
      ]);
      expect(await emails(queries.listContacts('email', undefined, 'BE', 10))).toEqual(['bea@example.com']);
      await harness.close();
    });
  });
}

/** A store with ingest and the contacts' reads and writes. */
export type OpenContactWrites = OpenIngestWith<{
  readonly contacts: { readonly queries: ContactQueries; readonly writes: ContactWrites };
}>;

/** A person's edits and contacts made by hand, read back through the queries. */
export function testContactWritesContract(open: OpenContactWrites): void {
  describe('ContactWrites contract', () => {
    it('creates a contact by hand, or answers the one that already holds its email', async () => {
      const harness = await open();
      const { writes, queries } = harness.store.contacts;
      const made = await writes.create({ email: 'ada@example.com', lifecycleStage: 'lead', tags: ['vip'] });
      if (!('created' in made)) throw new Error('expected a new contact');
      expect(await queries.profileById(made.created)).toMatchObject({
        lifecycle_stage: 'lead',
        tags: '["vip"]',
        contact_email: 'ada@example.com',
      });
      expect(await writes.create({ email: 'ada@example.com' })).toEqual({ existingId: made.created });
      await harness.close();
    });

    it('applies an edit: fields set or cleared, traits set beside the others, and newer than events before it', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { plan: 'free', seats: 2 } });
      const { id } = await profileOf(harness, 'user_id', 'u1');
      harness.clock.time += minute;
      await harness.store.contacts.writes.patch(id, { owner: 'sam', tags: ['a', 'b'], traits: { plan: 'pro' } });
      // An event timestamped before the edit does not undo it.
      await ingest(harness, {
        type: 'identify',
        userId: 'u1',
        traits: { plan: 'team' },
        timestamp: new Date(harness.clock.time - 30_000).toISOString(),
      });
      const row = await profileOf(harness, 'user_id', 'u1');
      expect(row).toMatchObject({ owner: 'sam', tags: '["a","b"]' });
      expect(JSON.parse(row.traits)).toEqual({ plan: 'pro', seats: 2 });
      await harness.store.contacts.writes.patch(id, { owner: null });
      expect((await profileOf(harness, 'user_id', 'u1')).owner).toBeNull();
      await harness.close();
    });

    it('names the traits whose current value a person set, until an event sets them again', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { plan: 'free', seats: 2 } });
      const { id } = await profileOf(harness, 'user_id', 'u1');
      const { queries, writes } = harness.store.contacts;
      expect(await queries.editedTraits(id)).toEqual([]);
      harness.clock.time += minute;
      await writes.patch(id, { traits: { plan: 'pro', team: 'b' } });
      expect(await queries.editedTraits(id)).toEqual(['plan', 'team']);
      harness.clock.time += minute;
      // A later event wins; one whose messageId mimics the edit's does not make its traits edits.
      await ingest(
        harness,
        { type: 'identify', userId: 'u1', traits: { plan: 'team' } },
        { type: 'identify', userId: 'u1', messageId: 'manual:000000000001', traits: { seats: 3 } },
      );
      expect(await queries.editedTraits(id)).toEqual(['team']);
      await harness.close();
    });
  });
}

/** A store with ingest and the contacts' reads, writes, notes and merges. */
export type OpenContactMerges = OpenIngestWith<{
  readonly contacts: Pick<ContactStore, 'queries' | 'writes' | 'notes' | 'merges'>;
}>;

/** Notes, and an admin's merge of two contacts, read back through the queries. */
export function testContactMergesContract(open: OpenContactMerges): void {
  describe('ContactNotes and ContactMerge contract', () => {
    it('keeps notes newest first, across a merge, and edits one in place', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'u1' }, { type: 'identify', userId: 'u2' });
      const [one, two] = [await profileOf(harness, 'user_id', 'u1'), await profileOf(harness, 'user_id', 'u2')];
      const { notes } = harness.store.contacts;
      const first = await notes.add(one.id, 'first call', 'sam');
      harness.clock.time += minute;
      const second = await notes.add(two.id, 'second call', undefined);
      expect(first).toMatchObject({ contactId: one.public_id, body: 'first call', author: 'sam', updatedAt: null });
      expect(await harness.store.contacts.merges.merge(one.id, two.id)).toBe('merged');
      const page = await notes.list(one.id, { limit: 1, cursor: undefined });
      expect(page.data.map((note) => note.body)).toEqual(['second call']);
      const rest = await notes.list(one.id, { limit: 10, cursor: page.nextCursor ?? undefined });
      expect(rest).toEqual({ data: [expect.objectContaining({ id: first.id })], nextCursor: null });
      harness.clock.time += minute;
      expect(await notes.edit(one.id, Number(second.id), 'second call, fixed')).toMatchObject({
        body: 'second call, fixed',
        updatedAt: new Date(harness.clock.time).toISOString(),
      });
      expect(await notes.edit(one.id, 999_999, 'nothing')).toBeUndefined();
      await harness.close();
    });

    it('merges one live contact into another: identifiers, events and timeline follow the survivor', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { plan: 'pro' } });
      harness.clock.time += minute;
      await ingest(harness, { type: 'track', anonymousId: 'a9', event: 'Viewed', traits: {} });
      const survivor = await profileOf(harness, 'user_id', 'u1');
      const absorbed = await profileOf(harness, 'anonymous_id', 'a9');
      await harness.store.contacts.writes.patch(absorbed.id, { lifecycleStage: 'lead', tags: ['x'] });
      expect(await harness.store.contacts.merges.merge(survivor.id, absorbed.id)).toBe('merged');
      expect((await profileOf(harness, 'anonymous_id', 'a9')).id).toBe(survivor.id);
      expect(await harness.store.contacts.queries.profileById(absorbed.id)).toMatchObject({ merged_into: survivor.id });
      expect(await profileOf(harness, 'user_id', 'u1')).toMatchObject({ lifecycle_stage: 'lead', tags: '["x"]' });
      const timeline = await harness.store.contacts.queries.timeline(
        survivor.id,
        { type: undefined, event: undefined },
        undefined,
        10,
      );
      expect(timeline.map((event) => JSON.parse(event.body).type)).toEqual(['track', 'identify']);
      const tracks = await harness.store.contacts.queries.timeline(
        survivor.id,
        { type: 'track', event: 'Viewed' },
        undefined,
        10,
      );
      expect(tracks).toHaveLength(1);
      await harness.close();
    });

    it('does nothing, and says so, when a contact was merged away after it was looked up', async () => {
      const harness = await open();
      await ingest(
        harness,
        { type: 'track', userId: 'x', event: 'A' },
        { type: 'track', userId: 'y', event: 'A' },
        { type: 'track', userId: 'y', event: 'B' },
        { type: 'track', userId: 'z', event: 'A' },
      );
      const [x, y, z] = [
        await profileOf(harness, 'user_id', 'x'),
        await profileOf(harness, 'user_id', 'y'),
        await profileOf(harness, 'user_id', 'z'),
      ];
      const { merges } = harness.store.contacts;
      // Two admins merge y at once, into x and into z: the second finds it gone.
      expect(await merges.merge(x.id, y.id)).toBe('merged');
      expect(await merges.merge(z.id, y.id)).toBe('changed');
      expect(await merges.merge(y.id, z.id)).toBe('changed');
      expect(await profileOf(harness, 'user_id', 'x')).toMatchObject({ event_count: 3 });
      expect(await profileOf(harness, 'user_id', 'z')).toMatchObject({ id: z.id, event_count: 1 });
      expect(await harness.store.contacts.queries.profileById(y.id)).toMatchObject({ merged_into: x.id });
      await harness.close();
    });

    it('applies an edit to the survivor of a merge made since the contact was looked up; none to an erased one', async () => {
      const harness = await open();
      await ingest(harness, { type: 'identify', userId: 'x' }, { type: 'identify', userId: 'y' });
      const [x, y] = [await profileOf(harness, 'user_id', 'x'), await profileOf(harness, 'user_id', 'y')];
      expect(await harness.store.contacts.merges.merge(x.id, y.id)).toBe('merged');
      expect(await harness.store.contacts.writes.patch(y.id, { owner: 'sam', traits: { plan: 'pro' } })).toBe(true);
      const survivor = await profileOf(harness, 'user_id', 'x');
      expect(survivor.owner).toBe('sam');
      expect(JSON.parse(survivor.traits)).toMatchObject({ plan: 'pro' });
      expect(await harness.store.contacts.writes.patch(987_654, { owner: 'sam' })).toBe(false);
      await harness.close();
    });
  });
}

export function testContactStoreContract(open: OpenStore): void {
  testContactQueriesContract(open);
  testContactWritesContract(open);
  testContactMergesContract(open);
  testContactSearchContract(open);
}

/** Search alone, for an engine being ported. */
export function testContactSearchContract(
  open: OpenIngestWith<{ readonly contacts: Pick<ContactStore, 'search'> }>,
): void {
  describe('ContactStore contract', () => {
    it('searches by trait, tag and text, with a total', async () => {
      const harness = await open();
      await ingest(
        harness,
        { type: 'identify', userId: 'u1', traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' } },
        { type: 'identify', userId: 'u2', traits: { email: 'bob@example.com', name: 'Bob Hope', plan: 'free' } },
      );
      const { search } = harness.store.contacts.search;
      const emailsOf = (page: Awaited<ReturnType<typeof search>>) => page.data.map((contact) => contact.email);
      const byPlan = await search({
        filters: [{ field: 'traits.plan', op: 'eq', value: 'pro' }],
        sort: 'email',
        limit: 10,
      });
      expect(emailsOf(byPlan)).toEqual(['ada@example.com']);
      expect(byPlan.total).toEqual({ value: 1, isEstimate: false });
      expect(emailsOf(await search({ filters: [], sort: 'email', limit: 10 }))).toEqual([
        'ada@example.com',
        'bob@example.com',
      ]);
      await harness.close();
    });
  });
}
