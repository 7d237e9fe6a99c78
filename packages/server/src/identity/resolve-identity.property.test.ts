import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/seeded-random.js';
import { DEFAULT_IDENTITY_RULES } from './identity-rules.js';
import { createMemoryIdentityStore } from './memory-identity-store.js';
import { readIdentityEvent } from './read-identity-event.js';
import { createIdentityCounters, resolveIdentity } from './resolve-identity.js';
import { valuesOf } from './stamped-values.js';

type Body = Record<string, unknown>;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

function resolveAll(events: Body[]) {
  const store = createMemoryIdentityStore();
  const context = { store, rules: DEFAULT_IDENTITY_RULES, counters: createIdentityCounters(), receivedAt: 0 };
  for (const body of events) resolveIdentity(readIdentityEvent(body, DEFAULT_IDENTITY_RULES), context);
  return store.snapshot();
}

/** What the traits must be: per key, the value of the newest event, ties to the larger messageId. */
function expectedTraits(events: Body[]): Record<string, unknown> {
  const sorted = [...events].sort(
    (a, b) =>
      Date.parse(String(a.timestamp)) - Date.parse(String(b.timestamp)) ||
      String(a.messageId).localeCompare(String(b.messageId)),
  );
  return Object.assign({}, ...sorted.map((event) => event.traits ?? {}));
}

function identify(messageId: string, second: number, fields: Body): Body {
  return {
    type: 'identify',
    messageId,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    ...fields,
  };
}

describe('traits do not depend on arrival order', () => {
  const linked = [
    identify('m1', 10, { anonymousId: 'a1', traits: { plan: 'free', city: 'Oslo' } }),
    identify('m2', 20, { userId: 'u1', traits: { plan: 'pro' } }),
    identify('m3', 20, { anonymousId: 'a2', traits: { plan: 'team', name: 'Ada' } }),
    identify('m4', 5, { userId: 'u1', anonymousId: 'a1' }),
    identify('m5', 15, { userId: 'u1', anonymousId: 'a2', traits: { city: 'Bergen' } }),
  ];

  it('ends with the same profile and traits for every one of the 120 orders of five linked identifies', () => {
    const expected = expectedTraits(linked);
    expect(expected).toEqual({ plan: 'team', city: 'Bergen', name: 'Ada' });
    for (const order of permutations(linked)) {
      const profiles = resolveAll(order);
      expect(profiles).toHaveLength(1);
      expect(valuesOf(profiles[0]?.profile.traits ?? {})).toEqual(expected);
      expect(profiles[0]?.identifiers).toHaveLength(3);
    }
  });

  it('holds for random event sets in random orders (seeded)', () => {
    const random = seededRandom(20261129);
    let cases = 0;
    for (let set = 0; set < 40; set++) {
      const keys = ['plan', 'city', 'name', 'score'];
      const events = Array.from({ length: 6 }, (_, index) =>
        identify(`m${set}-${index}`, Math.floor(random() * 4), {
          userId: 'u1',
          ...(random() < 0.5 ? { anonymousId: `a${Math.floor(random() * 3)}` } : {}),
          traits: Object.fromEntries(keys.filter(() => random() < 0.6).map((key) => [key, Math.floor(random() * 100)])),
        }),
      );
      const expected = expectedTraits(events);
      for (let shuffle = 0; shuffle < 20; shuffle++) {
        const order = [...events].sort(() => random() - 0.5);
        const profiles = resolveAll(order);
        expect(profiles).toHaveLength(1);
        expect(valuesOf(profiles[0]?.profile.traits ?? {})).toEqual(expected);
        cases++;
      }
    }
    expect(cases).toBe(800);
  });
});
