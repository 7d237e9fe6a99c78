// The contract every AudienceStore keeps (audiences/audience-store.ts), with the ingest and the
// change feed it works beside. Not part of the build.
import { describe, expect, it } from 'vitest';
import type { ChangeStore } from '../changes/change-store.js';
import type { ContactStore } from '../contacts/contact-store.js';
import type { PrivacyStore } from '../privacy/privacy-store.js';
import { type IngestHarness, ingest, type OpenIngestWith } from '../storage/store-harness.contract.js';
import type { AudienceStore } from './audience-store.js';
import { RuleProblem } from './parse-rule.js';

/** What the suite reads besides audiences: contacts found by an identifier, and the change feed. */
type AudienceParts = {
  readonly audiences: AudienceStore;
  readonly contacts: Pick<ContactStore, 'queries' | 'writes' | 'merges'>;
  readonly changes: Pick<ChangeStore, 'read'>;
  readonly privacy: Pick<PrivacyStore, 'eraser'>;
};
type StoreHarness = IngestHarness & { readonly store: AudienceParts };

const hour = 3_600_000;

async function backfillAll(harness: StoreHarness): Promise<void> {
  while (await harness.store.audiences.backfillStep(1_000)) {}
}

async function profileOf(harness: StoreHarness, userId: string): Promise<number> {
  const row = await harness.store.contacts.queries.profileByIdentifier('user_id', userId);
  if (!row) throw new Error(`no contact for ${userId}`);
  return row.id;
}

async function memberIds(harness: StoreHarness, audienceId: string): Promise<number[]> {
  return (await harness.store.audiences.members(audienceId, 0, 100)).map((member) => member.profileId);
}

async function changeTypes(harness: StoreHarness): Promise<string[]> {
  return (await harness.store.changes.read({ after: 0, limit: 1_000 })).map((change) => change.type);
}

export function testAudienceStoreContract(open: OpenIngestWith<AudienceParts>): void {
  describe('AudienceStore contract', () => {
    it('keeps definitions, refusing a bad rule, an unknown audience and the removal of one in use', async () => {
      const harness = await open();
      const { audiences } = harness.store;
      await expect(audiences.create({ name: 'x', rule: { trait: 'plan', op: 'like' } })).rejects.toThrow(RuleProblem);
      await expect(audiences.create({ name: 'x', rule: { audience: 'aud_none' } })).rejects.toThrow(/does not exist/);
      const pro = await audiences.create({
        name: 'pro',
        description: null,
        rule: { trait: 'plan', op: 'eq', value: 'pro' },
      });
      const proBuyers = await audiences.create({
        name: 'pro buyers',
        rule: { all: [{ audience: pro.id }, { event: 'Paid' }] },
      });
      expect((await audiences.list()).map((audience) => audience.name)).toEqual(['pro', 'pro buyers']);
      expect((await audiences.summaries()).map((audience) => audience.name)).toEqual(['pro', 'pro buyers']);
      expect(await audiences.get(pro.id)).toMatchObject({
        name: 'pro',
        rule: { trait: 'plan', op: 'eq', value: 'pro' },
      });
      await expect(audiences.update(pro.id, { rule: { audience: proBuyers.id } })).rejects.toThrow(/cycle/);
      expect(await audiences.update(pro.id, { name: 'paying' })).toMatchObject({ name: 'paying' });
      expect(await audiences.update('aud_none', { name: 'y' })).toBeUndefined();
      await expect(audiences.remove(pro.id)).rejects.toThrow(RuleProblem);
      expect(await audiences.remove(proBuyers.id)).toBe(true);
      expect(await audiences.remove(proBuyers.id)).toBe(false);
      await harness.close();
    });

    it('enters a contact in the transaction of the event that makes the rule true', async () => {
      const harness = await open();
      const { audiences } = harness.store;
      const payers = await audiences.create({ name: 'payers', rule: { event: 'Paid', count: { op: 'gte', n: 2 } } });
      await backfillAll(harness);
      expect((await audiences.get(payers.id))?.phase).toBe('ready');
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm1' });
      expect(await memberIds(harness, payers.id)).toEqual([]);
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm2' });
      const u1 = await profileOf(harness, 'u1');
      expect(await memberIds(harness, payers.id)).toEqual([u1]);
      expect((await changeTypes(harness)).slice(-2)).toEqual(['event.stored', 'audience.entered']);
      expect(await audiences.audiencesOf(u1)).toEqual([
        { id: payers.id, name: 'payers', enteredAt: harness.clock.time, isBackfill: false },
      ]);
      expect(await audiences.memberCounts()).toEqual(new Map([[payers.id, 1]]));
      await harness.close();
    });

    it('backfills a new definition from stored events, its entries marked', async () => {
      const harness = await open();
      const { audiences } = harness.store;
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Signup', messageId: 'm1' });
      await ingest(harness, { type: 'track', userId: 'u2', event: 'Login', messageId: 'm2' });
      const signedUp = await audiences.create({ name: 'signed up', rule: { event: 'Signup' } });
      expect(signedUp.phase).toBe('backfilling');
      await backfillAll(harness);
      expect((await audiences.get(signedUp.id))?.phase).toBe('ready');
      const members = await audiences.members(signedUp.id, 0, 10);
      expect(members).toEqual([
        { profileId: await profileOf(harness, 'u1'), enteredAt: harness.clock.time, isBackfill: true },
      ]);
      await harness.close();
    });

    it('exits when time alone ends the window: due time, then a sweep', async () => {
      const harness = await open();
      const { audiences } = harness.store;
      const recent = await audiences.create({ name: 'recent', rule: { event: 'Paid', within: { hours: 2 } } });
      await backfillAll(harness);
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm1' });
      const due = await audiences.nextDueAt();
      const hourEnd = (Math.floor(harness.clock.time / hour) + 1) * hour;
      expect(due).toBe(hourEnd + 2 * hour);
      harness.clock.time = (due ?? 0) - 1;
      expect(await audiences.sweepStep(10)).toBe(0);
      harness.clock.time = due ?? 0;
      expect(await audiences.sweepStep(10)).toBe(1);
      expect(await memberIds(harness, recent.id)).toEqual([]);
      expect(await audiences.nextDueAt()).toBeNull();
      expect((await changeTypes(harness)).at(-1)).toBe('audience.exited');
      await harness.close();
    });

    it('follows edits by hand, merges and erasures as it follows events', async () => {
      const harness = await open();
      const { audiences, contacts } = harness.store;
      const pro = await audiences.create({ name: 'pro', rule: { trait: 'plan', op: 'eq', value: 'pro' } });
      const owned = await audiences.create({ name: 'owned', rule: { trait: 'owner', op: 'eq', value: 'sam' } });
      const payers = await audiences.create({ name: 'payers', rule: { event: 'Paid', count: { op: 'gte', n: 2 } } });
      await backfillAll(harness);
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid', messageId: 'm1' });
      await ingest(harness, { type: 'track', anonymousId: 'a1', event: 'Paid', messageId: 'm2' });
      const u1 = await profileOf(harness, 'u1');
      const a1 = (await contacts.queries.profileByIdentifier('anonymous_id', 'a1'))?.id ?? 0;

      expect(await contacts.writes.patch(u1, { traits: { plan: 'pro' }, owner: 'sam' })).toBe(true);
      expect(await memberIds(harness, pro.id)).toEqual([u1]);
      expect(await memberIds(harness, owned.id)).toEqual([u1]);
      expect(await contacts.writes.patch(u1, { owner: null })).toBe(true);
      expect(await memberIds(harness, owned.id)).toEqual([]);

      // The survivor counts the absorbed contact's events; the absorbed one leaves what it was in.
      const made = await contacts.writes.create({ email: 'new@example.com', owner: 'sam' });
      const madeId = 'created' in made ? made.created : 0;
      expect(await memberIds(harness, owned.id)).toEqual([madeId]);
      expect(await contacts.merges.merge(u1, madeId)).toBe('merged');
      expect(await memberIds(harness, owned.id)).toEqual([u1]);
      expect(await contacts.merges.merge(u1, a1)).toBe('merged');
      expect(await memberIds(harness, payers.id)).toEqual([u1]);

      await harness.store.privacy.eraser.erase(u1, { suppress: false });
      for (const audience of [pro, owned, payers]) expect(await memberIds(harness, audience.id)).toEqual([]);
      // An audience with no members may be counted 0 or not listed.
      expect([...(await audiences.memberCounts()).values()].filter((n) => n !== 0)).toEqual([]);
      expect(await audiences.nextDueAt()).toBeNull();
      await harness.close();
    });

    it('previews a rule from stored events without saving anything', async () => {
      const harness = await open();
      const { audiences } = harness.store;
      for (const [user, total] of [
        ['u1', 10],
        ['u2', 90],
        ['u3', 70],
      ] as const) {
        await ingest(harness, { type: 'track', userId: user, event: 'Order', properties: { total }, messageId: user });
      }
      const preview = await audiences.preview({ event: 'Order', where: [{ property: 'total', op: 'gt', value: 50 }] });
      expect(preview.size).toBe(2);
      expect([...preview.sample].sort()).toEqual(
        [await profileOf(harness, 'u2'), await profileOf(harness, 'u3')].sort(),
      );
      expect(await audiences.list()).toEqual([]);
      await expect(audiences.preview({ event: '' })).rejects.toThrow(/rule\.event/);
      await harness.close();
    });
  });
}
