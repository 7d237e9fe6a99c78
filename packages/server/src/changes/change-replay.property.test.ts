import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EngineContactsTestApp, openContactsTestApp } from '../contacts/contact-test-kit.js';
import { testEngine } from '../testing/test-app.js';
import { differences, identityKey, liveContacts, readWholeFeed, replay } from './feed-replay-test-kit.js';

/**
 * The feed's promise, checked on random histories: a consumer that replays every change from the
 * start ends with the contacts the API shows (fields, traits, identities, companies), and reads each
 * change once. Ingest and every admin write are mixed: identify, track, alias, group, create, PATCH,
 * notes, merge, erase and erase-with-suppression, then lifting a suppression.
 */

const person = fc.constantFrom('u0', 'u1', 'u2', 'u3', 'u4');
const visitor = fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4');
const who = fc.oneof(
  fc.record({ userId: person }),
  fc.record({ anonymousId: visitor }),
  fc.record({ userId: person, anonymousId: visitor }),
);
const traits = fc.record(
  {
    plan: fc.constantFrom('free', 'pro', null),
    seats: fc.integer({ min: 1, max: 3 }),
    email: fc.constantFrom('ada@example.com', 'bob@example.com', 'cy@example.com'),
    name: fc.constantFrom('Ada', 'Bob'),
  },
  { requiredKeys: [] },
);
/** Minutes before the server's clock: events arrive out of order, some older than an erasure. */
const age = fc.integer({ min: 0, max: 90 });
/** Picks among the contacts live when the operation runs. */
const pick = fc.nat();

const operation = fc.oneof(
  fc.record({ op: fc.constant('identify' as const), who, traits, age }),
  fc.record({ op: fc.constant('track' as const), who, age }),
  fc.record({ op: fc.constant('alias' as const), previousId: visitor, userId: person, age }),
  fc.record({ op: fc.constant('group' as const), who, groupId: fc.constantFrom('g0', 'g1'), age }),
  fc.record({ op: fc.constant('create' as const), email: fc.constantFrom('dee@example.com', 'ada@example.com') }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('patch' as const),
      pick,
      edit: fc
        .record(
          {
            lifecycleStage: fc.constantFrom('lead', 'customer', null),
            owner: fc.constantFrom('sam', null),
            tags: fc.constantFrom([], ['vip'], ['vip', 'beta']),
            traits: fc.record({ plan: fc.constantFrom('team', 'free') }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        )
        .filter(
          (edit) => Object.keys(edit).length > 0 && (edit.traits === undefined || Object.keys(edit.traits).length > 0),
        ),
    }),
  },
  fc.record({ op: fc.constant('note' as const), pick }),
  // Merges and edits are where state meets state: drawn more often.
  { arbitrary: fc.record({ op: fc.constant('merge' as const), pick, other: pick }), weight: 3 },
  fc.record({ op: fc.constant('erase' as const), pick, suppress: fc.boolean() }),
  fc.record({ op: fc.constant('lift' as const), pick }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

let messages = 0;
async function apply(t: EngineContactsTestApp, step: Operation, suppressed: string[]): Promise<void> {
  t.clock.time += 60_000;
  const event = (body: Record<string, unknown>, minutesAgo: number) => ({
    ...body,
    messageId: `m${++messages}`,
    timestamp: new Date(t.clock.time - minutesAgo * 60_000).toISOString(),
  });
  const live = step.op === 'patch' || step.op === 'note' || step.op === 'merge' || step.op === 'erase';
  const contacts = live ? await liveContacts(t) : [];
  const chosen = (index: number) => contacts[index % contacts.length]?.id;
  switch (step.op) {
    case 'identify':
      return t.seed(event({ type: 'identify', ...step.who, traits: step.traits }, step.age));
    case 'track':
      return t.seed(event({ type: 'track', event: 'Viewed', ...step.who }, step.age));
    case 'alias':
      return t.seed(event({ type: 'alias', previousId: step.previousId, userId: step.userId }, step.age));
    case 'group':
      return t.seed(
        event({ type: 'group', ...step.who, groupId: step.groupId, traits: { name: step.groupId } }, step.age),
      );
    case 'create':
      return expectStatus(await t.send('POST', '/v1/contacts', { email: step.email }), [201, 409]);
    case 'patch':
      if (chosen(step.pick)) expectStatus(await t.send('PATCH', `/v1/contacts/${chosen(step.pick)}`, step.edit), [200]);
      return;
    case 'note':
      if (chosen(step.pick))
        expectStatus(await t.send('POST', `/v1/contacts/${chosen(step.pick)}/notes`, { body: 'called' }), [201]);
      return;
    case 'merge': {
      const [primary, secondary] = [chosen(step.pick), chosen(step.other)];
      if (primary && secondary && primary !== secondary)
        expectStatus(await t.send('POST', '/v1/contacts/merge', { primary, secondary }), [200, 409]);
      return;
    }
    case 'erase': {
      const erased = contacts[step.pick % contacts.length];
      if (!erased) return;
      expectStatus(await t.send('DELETE', `/v1/contacts/${erased.id}?suppress=${step.suppress}`, ''), [200]);
      if (step.suppress) suppressed.push(...erased.identities.map(identityKey));
      return;
    }
    case 'lift': {
      const [lifted] = suppressed.splice(step.pick % Math.max(suppressed.length, 1), 1);
      if (lifted)
        expectStatus(await t.send('DELETE', `/v1/suppressions/${encodeURIComponent(lifted)}`, ''), [200, 204]);
      return;
    }
  }
}

function expectStatus(response: Response, allowed: number[]): void {
  expect(allowed, `${response.status} answered`).toContain(response.status);
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('replaying the change feed', () => {
  it('reproduces every live contact, and reads each change once, whatever the history', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (steps, pageSize) => {
          const t = await openContactsTestApp();
          try {
            const suppressed: string[] = [];
            for (const step of steps) await apply(t, step, suppressed);

            const changes = await readWholeFeed(t, pageSize);
            expect(new Set(changes.map((change) => change.id)).size, 'a change read twice').toBe(changes.length);
            expect(await readWholeFeed(t, 1000), 'the same feed whatever the page size').toEqual(changes);
            expect(differences(replay(changes), await liveContacts(t))).toEqual([]);

            // Every event stored is in the feed once, and nothing else is.
            const stored = changes.filter((change) => change.type === 'event.stored');
            const events = (await t.storedEvents()).map((row) => row.message_id);
            expect(sorted(stored.map((change) => String(change.data.messageId)))).toEqual(sorted(events));
          } finally {
            await t.close();
          }
        },
      ),
      // Each run opens a database: on PostgreSQL a schema migrated afresh (~0.4 s), so fewer runs there.
      { numRuns: Number(process.env.WEFT_PROPERTY_RUNS ?? (testEngine === 'postgres' ? 30 : 80)) },
    );
  }, 120_000);
});
