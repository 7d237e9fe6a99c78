// The scenarios every IdentityStore must pass with the resolver: each an event sequence and the
// profiles expected after it. docs/identity.md lists the same table. Not part of the build.
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './identity-rules.js';
import type { IdentityStore } from './identity-store.js';
import { readIdentityEvent } from './read-identity-event.js';
import { createIdentityCounters, type IdentityCounters, resolveIdentity } from './resolve-identity.js';

/** A live profile as the scenarios compare it: identifiers as `type:value`, sorted. */
export interface ProfileView {
  identifiers: string[];
  traits: Record<string, unknown>;
  companies: string[];
  eventCount: number;
  firstSeenAt: number;
}

export interface ScenarioHarness {
  store: IdentityStore;
  profiles(): ProfileView[];
  merges(): number;
  companyTraits(groupId: string): Record<string, unknown> | undefined;
}

type Body = Record<string, unknown>;

export class Scenario {
  readonly counters: IdentityCounters = createIdentityCounters();
  private sequence = 0;

  constructor(
    readonly harness: ScenarioHarness,
    readonly rules: IdentityRules = DEFAULT_IDENTITY_RULES,
  ) {}

  /** Resolves one event; `at` is its timestamp in seconds from an arbitrary epoch. */
  send(type: string, fields: Body, at?: number): number | null {
    this.sequence++;
    const seconds = at ?? this.sequence;
    const body: Body = {
      type,
      messageId: (fields.messageId as string | undefined) ?? `m-${String(this.sequence).padStart(5, '0')}`,
      timestamp: new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString(),
      ...fields,
    };
    const event = readIdentityEvent(body, this.rules);
    return (
      resolveIdentity(event, {
        store: this.harness.store,
        rules: this.rules,
        counters: this.counters,
        receivedAt: 0,
      })?.id ?? null
    );
  }

  /** The live profiles, each as its sorted identifiers. */
  identifierSets(): string[][] {
    return this.harness
      .profiles()
      .map((profile) => profile.identifiers)
      .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  }

  profileOf(identifier: string): ProfileView | undefined {
    return this.harness.profiles().find((profile) => profile.identifiers.includes(identifier));
  }
}

export function testIdentityScenarios(name: string, createHarness: () => ScenarioHarness): void {
  const start = (rules?: IdentityRules) => new Scenario(createHarness(), rules);

  describe(`identity scenarios: ${name}`, () => {
    it('anonymous browsing then identify: one profile', () => {
      const s = start();
      s.send('page', { anonymousId: 'a1' });
      s.send('track', { anonymousId: 'a1', event: 'Viewed' });
      s.send('identify', { anonymousId: 'a1', userId: 'u1', traits: { name: 'Ada' } });
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'user_id:u1']]);
      expect(s.profileOf('user_id:u1')).toMatchObject({ eventCount: 3, traits: { name: 'Ada' } });
    });

    it('the same user on two devices: one profile', () => {
      const s = start();
      s.send('identify', { anonymousId: 'phone', userId: 'u1' });
      s.send('track', { anonymousId: 'laptop', event: 'Viewed' });
      s.send('identify', { anonymousId: 'laptop', userId: 'u1' });
      expect(s.identifierSets()).toEqual([['anonymous_id:laptop', 'anonymous_id:phone', 'user_id:u1']]);
      expect(s.harness.merges()).toBe(1);
    });

    it('a shared device with reset: two people, two profiles', () => {
      const s = start();
      s.send('identify', { anonymousId: 'a1', userId: 'alice' });
      s.send('identify', { anonymousId: 'a2', userId: 'bob' });
      expect(s.identifierSets()).toEqual([
        ['anonymous_id:a1', 'user_id:alice'],
        ['anonymous_id:a2', 'user_id:bob'],
      ]);
    });

    it('a shared device without reset: the second user gets a profile of their own, no merge', () => {
      const s = start();
      s.send('identify', { anonymousId: 'a1', userId: 'alice' });
      const bob = s.send('identify', { anonymousId: 'a1', userId: 'bob', traits: { name: 'Bob' } });
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'user_id:alice'], ['user_id:bob']]);
      expect(s.profileOf('user_id:bob')?.traits).toEqual({ name: 'Bob' });
      expect(s.profileOf('user_id:alice')?.traits).toEqual({});
      expect(bob).not.toBe(s.send('track', { anonymousId: 'a1', event: 'X' }));
    });

    it('alias of an anonymous id into a user: one profile', () => {
      const s = start();
      s.send('track', { anonymousId: 'a1', event: 'Viewed' });
      s.send('identify', { userId: 'u1' });
      s.send('alias', { previousId: 'a1', userId: 'u1' });
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'user_id:u1']]);
    });

    it('alias of a previous user id with no profile for the new one: a rename past the user_id limit', () => {
      const s = start();
      s.send('identify', { userId: 'old-id', anonymousId: 'a1' });
      s.send('alias', { previousId: 'old-id', userId: 'new-id' });
      s.send('identify', { userId: 'new-id', anonymousId: 'a2' });
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'anonymous_id:a2', 'user_id:new-id', 'user_id:old-id']]);
    });

    it('alias between two identified users: refused and counted', () => {
      const s = start();
      s.send('identify', { userId: 'alice', anonymousId: 'a1' });
      s.send('identify', { userId: 'bob', anonymousId: 'a2' });
      s.send('alias', { previousId: 'alice', userId: 'bob' });
      expect(s.identifierSets()).toHaveLength(2);
      expect(s.counters.aliasesRefused).toBe(1);
      expect(s.harness.merges()).toBe(0);
    });

    it('a transitive merge of three fragments into the oldest', () => {
      const s = start();
      s.send('identify', { userId: 'u1' }, 30);
      s.send('track', { anonymousId: 'a1', event: 'X' }, 10);
      s.send('track', { anonymousId: 'a2', event: 'X', context: { traits: { email: 'ada@example.com' } } }, 20);
      s.send('identify', { userId: 'u1', anonymousId: 'a1', traits: { email: 'ada@example.com' } }, 40);
      expect(s.identifierSets()).toEqual([
        ['anonymous_id:a1', 'anonymous_id:a2', 'email:ada@example.com', 'user_id:u1'],
      ]);
      expect(s.harness.merges()).toBe(2);
      expect(s.profileOf('user_id:u1')).toMatchObject({ eventCount: 4, firstSeenAt: Date.UTC(2026, 0, 1) + 10_000 });
    });

    it.each(['null', 'undefined', 'anonymous', '0', '-1', '""', '  ', 'NaN', '[object Object]', '0000-00'])(
      'never uses the blocked value %j, but still attaches the event',
      (blocked) => {
        const s = start();
        s.send('identify', { anonymousId: 'a1', userId: blocked, traits: { email: blocked } });
        s.send('identify', { anonymousId: 'a2', userId: blocked });
        expect(s.identifierSets()).toEqual([['anonymous_id:a1'], ['anonymous_id:a2']]);
        expect(s.counters.blockedValues).toBeGreaterThanOrEqual(2);
      },
    );

    it('attaches no profile to an event whose identifiers are all blocked', () => {
      const s = start();
      expect(s.send('track', { anonymousId: 'undefined', userId: 'null', event: 'X' })).toBeNull();
      expect(s.identifierSets()).toEqual([]);
    });

    it('self-alias is a no-op', () => {
      const s = start();
      s.send('identify', { userId: 'u1' });
      s.send('alias', { previousId: 'u1', userId: 'u1' });
      expect(s.identifierSets()).toEqual([['user_id:u1']]);
      expect(s.harness.merges()).toBe(0);
    });

    it('identify arriving before the anonymous events it links', () => {
      const s = start();
      s.send('identify', { anonymousId: 'a1', userId: 'u1' }, 100);
      s.send('page', { anonymousId: 'a1' }, 50);
      s.send('track', { anonymousId: 'a1', event: 'X' }, 60);
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'user_id:u1']]);
      expect(s.profileOf('user_id:u1')?.firstSeenAt).toBe(Date.UTC(2026, 0, 1) + 50_000);
    });

    it('treats emails that differ in case and whitespace as one', () => {
      const s = start();
      s.send('identify', { anonymousId: 'a1', traits: { email: '  Ada@Example.COM ' } });
      s.send('track', { anonymousId: 'a2', event: 'X', context: { traits: { email: 'ada@example.com' } } });
      expect(s.identifierSets()).toEqual([['anonymous_id:a1', 'anonymous_id:a2', 'email:ada@example.com']]);
    });

    it('links two sources through an external id', () => {
      const s = start();
      s.send('track', { anonymousId: 'web-1', event: 'X', context: { externalIds: [{ id: 'crm-7', type: 'crmId' }] } });
      s.send('identify', { userId: 'u1', context: { externalIds: [{ id: 'crm-7', type: 'crm_id' }] } });
      expect(s.identifierSets()).toEqual([['anonymous_id:web-1', 'crm_id:crm-7', 'user_id:u1']]);
    });

    it('keeps each type within its limit: a sixth email goes to a profile of its own', () => {
      const s = start();
      for (let index = 1; index <= 5; index++)
        s.send('identify', { userId: 'u1', traits: { email: `e${index}@x.io` } });
      s.send('identify', { userId: 'u1', traits: { email: 'e6@x.io' } });
      expect(s.profileOf('user_id:u1')?.identifiers.filter((id) => id.startsWith('email:'))).toHaveLength(5);
      expect(s.profileOf('email:e6@x.io')).toBeUndefined();
    });

    it('stops merging at the merge cap, yet still attaches the events', () => {
      const s = start({ ...DEFAULT_IDENTITY_RULES, maxMergesPerProfile: 1 });
      s.send('track', { anonymousId: 'a1', event: 'X' }, 1);
      s.send('track', { anonymousId: 'a2', event: 'X' }, 2);
      s.send('track', { anonymousId: 'a3', event: 'X' }, 3);
      s.send('identify', { userId: 'u1', anonymousId: 'a1' }, 4);
      s.send('identify', { userId: 'u1', anonymousId: 'a2' }, 5);
      s.send('track', { userId: 'u1', anonymousId: 'a3', event: 'X' }, 6);
      s.send('track', { userId: 'u1', anonymousId: 'a3', event: 'X' }, 7);
      expect(s.harness.merges()).toBe(1);
      expect(s.counters.mergesCapped).toBe(2);
      // a1, a2 and the four known events; a3's own event stays with a3, which is never merged.
      expect(s.profileOf('user_id:u1')?.eventCount).toBe(6);
      expect(s.profileOf('anonymous_id:a3')?.eventCount).toBe(1);
    });

    it('stops adding identifiers at the identifier cap', () => {
      const s = start({ ...DEFAULT_IDENTITY_RULES, maxIdentifiersPerProfile: 3 });
      for (let index = 1; index <= 5; index++) s.send('track', { userId: 'u1', anonymousId: `a${index}`, event: 'X' });
      expect(s.profileOf('user_id:u1')?.identifiers).toHaveLength(3);
      expect(s.profileOf('user_id:u1')?.eventCount).toBe(5);
      expect(s.counters.identifiersCapped).toBe(3);
    });

    it('keeps the newest trait across a merge, whatever the arrival order', () => {
      const s = start();
      s.send('identify', { anonymousId: 'a1', traits: { plan: 'free', city: 'Oslo' } }, 200);
      s.send('identify', { userId: 'u1', traits: { plan: 'pro', name: 'Ada' } }, 100);
      s.send('identify', { userId: 'u1', anonymousId: 'a1' }, 300);
      expect(s.profileOf('user_id:u1')?.traits).toEqual({ plan: 'free', city: 'Oslo', name: 'Ada' });
    });

    it('breaks a timestamp tie by the larger messageId', () => {
      const s = start();
      s.send('identify', { userId: 'u1', messageId: 'm-b', traits: { plan: 'b' } }, 100);
      s.send('identify', { userId: 'u1', messageId: 'm-a', traits: { plan: 'a' } }, 100);
      expect(s.profileOf('user_id:u1')?.traits).toEqual({ plan: 'b' });
    });

    it('a group call with an email in its traits links a company and merges no person', () => {
      const s = start();
      s.send('identify', { userId: 'boss', traits: { email: 'ceo@acme.io' } });
      s.send('group', { userId: 'u1', groupId: 'acme', traits: { name: 'Acme', email: 'ceo@acme.io' } });
      s.send('group', { userId: 'u1', groupId: 'globex', traits: { name: 'Globex' } });
      expect(s.identifierSets()).toEqual([['email:ceo@acme.io', 'user_id:boss'], ['user_id:u1']]);
      expect(s.profileOf('user_id:u1')?.companies).toEqual(['acme', 'globex']);
      expect(s.harness.companyTraits('acme')).toEqual({ name: 'Acme', email: 'ceo@acme.io' });
    });

    it('moves companies to the surviving profile on merge', () => {
      const s = start();
      s.send('group', { anonymousId: 'a1', groupId: 'acme', traits: { name: 'Acme' } }, 1);
      s.send('identify', { userId: 'u1' }, 2);
      s.send('identify', { userId: 'u1', anonymousId: 'a1' }, 3);
      expect(s.profileOf('user_id:u1')?.companies).toEqual(['acme']);
    });
  });
}
