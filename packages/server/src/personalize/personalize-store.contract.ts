// The contract every PersonalizeStore keeps (personalize/personalize-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import { ingest, type OpenStore } from '../storage/store-harness.contract.js';
import type { PersonalizeStore } from './personalize-store.js';
import { TICKET_LIFETIME_MS } from './stream-ticket.js';

const policy = { traits: ['plan'], computedTraits: [], audiences: [], origins: ['https://shop.example'] };

/** Publishable keys alone: what a port has before the visitor reads. */
export function testPublishableKeysContract(
  open: () => Promise<{
    readonly store: { readonly personalize: Pick<PersonalizeStore, 'keys'> };
    readonly clock: { time: number };
    close(): Promise<void>;
  }>,
): void {
  describe('PublishableKeyStore contract', () => {
    it('keeps publishable keys: found while unrevoked, updated in place, listed with revoked ones', async () => {
      const { store, clock, close } = await open();
      const { keys } = store.personalize;
      const made = await keys.create('shop', policy);
      expect(made).toMatchObject({ name: 'shop', policy, revokedAt: null, createdAt: clock.time });
      expect(made.key).toMatch(/^pk_/);
      expect(await keys.findActive(made.key)).toEqual(made);
      expect(await keys.findActive(`${made.key}x`)).toBeUndefined();
      clock.time += 1_000;
      const updated = await keys.update(made.id, { policy: { ...policy, traits: ['plan', 'seats'] } });
      expect(updated).toMatchObject({ name: 'shop', policy: { traits: ['plan', 'seats'] }, updatedAt: clock.time });
      expect(await keys.update('pkey_000000000000', { name: 'x' })).toBeUndefined();
      expect(await keys.revoke(made.id)).toBe(true);
      expect(await keys.revoke(made.id)).toBe(false);
      expect(await keys.findActive(made.key)).toBeUndefined();
      expect((await keys.list()).map((key) => [key.id, key.revokedAt])).toEqual([[made.id, clock.time]]);
      await close();
    });
  });
}

export function testPersonalizeStoreContract(open: OpenStore): void {
  testPublishableKeysContract(open);
  describe('PersonalizeStore contract', () => {
    it('reads a visitor by identifier or contact id, merges followed, and says whether they are known', async () => {
      const harness = await open();
      const { personalize } = harness.store;
      await ingest(harness, { type: 'identify', anonymousId: 'anon-1', traits: { plan: 'free' } });
      const anonymous = await personalize.visitor('anonymous_id', 'anon-1');
      expect(anonymous).toMatchObject({ isKnown: false, isSuppressed: false, traits: { plan: 'free' }, audiences: [] });
      expect(await personalize.visitorByContactId(anonymous?.contactId ?? '')).toEqual(anonymous);
      expect(await personalize.visitor('anonymous_id', 'nobody')).toBeUndefined();
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { plan: 'pro' } });
      await ingest(harness, { type: 'identify', userId: 'u1', anonymousId: 'anon-1' });
      const merged = await personalize.visitor('anonymous_id', 'anon-1');
      expect(merged).toMatchObject({ isKnown: true });
      expect(merged?.contactId).toEqual((await personalize.visitor('user_id', 'u1'))?.contactId);
      // The absorbed contact's id leads to the survivor.
      expect((await personalize.visitorByContactId(anonymous?.contactId ?? ''))?.contactId).toBe(merged?.contactId);
      await harness.close();
    });

    it('signs stream tickets it alone can read, until they are a minute old', async () => {
      const { store, clock, close } = await open();
      const { tickets } = store.personalize;
      const ticket = {
        nonce: 'n1',
        keyId: 'pkey_1',
        type: 'anonymous_id' as const,
        value: 'a',
        isProven: false,
        origin: '',
        openBy: clock.time + TICKET_LIFETIME_MS,
        endsAt: clock.time + 3_600_000,
      };
      const text = tickets.sign(ticket);
      expect(tickets.read(text, clock.time)).toEqual(ticket);
      expect(tickets.read(`${text}x`, clock.time)).toBeUndefined();
      expect(tickets.read(text, clock.time + TICKET_LIFETIME_MS)).toBeUndefined();
      await close();
    });
  });
}
