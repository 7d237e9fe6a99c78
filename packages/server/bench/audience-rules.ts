import { aggregates, numericAggregates } from '../src/audiences/aggregate.js';

/**
 * The 50 audiences bench:audiences defines, written for the `people` workload (bench-events.ts:
 * 100,000 people numbered n; each sends a page, then a third a `Product Viewed`, the rest an
 * identify with the email `p<n>@example.com` and an `Order Completed`) so that every event reaches
 * at least 5 leaves: every event changes lastSeenAt and eventCount (20 audiences read one of them),
 * each track event feeds the 10 or 20 audiences that count it, each identify changes the email 30
 * audiences read. Like real audiences, each holds a slice of the people (an email prefix, a
 * behaviour), not all of them: a person ends in about two. Windows, counts, absence, nesting and
 * every leaf kind appear. BENCH_AUDIENCES=broad defines a second set instead, whose audiences hold
 * most people (about 21 memberships a person): the worst case for write volume.
 */
type Rule = (idOf: (name: string) => string) => unknown;

export function benchAudienceRules(shape = process.env.BENCH_AUDIENCES ?? 'sliced'): { name: string; rule: Rule }[] {
  return shape === 'broad' ? broadRules() : slicedRules();
}

function slicedRules(): { name: string; rule: Rule }[] {
  const rules: { name: string; rule: Rule }[] = [];
  for (let i = 0; i < 10; i++) {
    // People whose number starts with digit i (1–9: about 11% each; 0: person 0 alone).
    const slice = { trait: 'email', op: 'startsWith', value: `p${i}` };
    rules.push({
      name: `buyers ${i}`,
      rule: () => ({
        all: [{ event: 'Order Completed', count: { op: 'gte', n: 1 + (i % 3) }, within: { days: 7 + i } }, slice],
      }),
    });
    rules.push({
      name: `viewed twice ${i}`,
      rule: () => ({
        all: [
          {
            event: 'Product Viewed',
            where: [{ property: 'sku', op: 'eq', value: 'a' }],
            count: { op: 'gte', n: 2 },
            within: { hours: 24 + i },
          },
          { trait: 'eventCount', op: 'gte', value: 2 },
        ],
      }),
    });
    rules.push({
      name: `browsing, no order ${i}`,
      rule: () => ({
        all: [
          { event: 'Order Completed', count: { op: 'eq', n: 0 }, within: { days: 30 + i } },
          { trait: 'eventCount', op: 'eq', value: 2 + i },
        ],
      }),
    });
    rules.push({
      name: `known ${i}`,
      rule: (idOf) => ({
        all: [
          slice,
          i < 5 ? { trait: 'email', op: 'endsWith', value: '@example.com' } : { audience: idOf(`buyers ${i}`) },
        ],
      }),
    });
    rules.push({
      name: `active ${i}`,
      rule: () => ({
        all: [
          { trait: 'lastSeenAt', op: 'after', value: `-${i + 1}d` },
          slice,
          { event: 'Order Completed', between: { from: '-90d', to: '-30d' }, count: { op: 'eq', n: 0 } },
        ],
      }),
    });
  }
  return rules;
}

function broadRules(): { name: string; rule: Rule }[] {
  const rules: { name: string; rule: Rule }[] = [];
  for (let i = 0; i < 10; i++) {
    rules.push({
      name: `buyers ${i}`,
      rule: () => ({
        all: [
          { event: 'Order Completed', count: { op: 'gte', n: 1 + (i % 3) }, within: { days: 7 + i } },
          { trait: 'email', op: 'endsWith', value: '@example.com' },
        ],
      }),
    });
    rules.push({
      name: `viewers ${i}`,
      rule: () => ({
        event: 'Product Viewed',
        where: [{ property: 'sku', op: 'eq', value: 'a' }],
        within: { hours: 24 + i },
      }),
    });
    rules.push({
      name: `no order ${i}`,
      rule: () => ({
        all: [
          { event: 'Order Completed', count: { op: 'eq', n: 0 }, within: { days: 30 + i } },
          { trait: 'eventCount', op: 'gte', value: 1 + i },
        ],
      }),
    });
    rules.push({
      name: `known ${i}`,
      rule: (idOf) => ({
        any: [
          i < 5 ? { trait: 'email', op: 'contains', value: `p${i}` } : { audience: idOf(`buyers ${i}`) },
          { not: { trait: 'email', op: 'exists' } },
        ],
      }),
    });
    rules.push({
      name: `active ${i}`,
      rule: () => ({
        all: [
          { trait: 'lastSeenAt', op: 'after', value: `-${i + 1}d` },
          { event: 'Order Completed', between: { from: '-90d', to: '-30d' }, count: { op: 'eq', n: 0 } },
        ],
      }),
    });
  }
  return rules;
}

/**
 * The 20 computed traits bench:audiences defines beside the audiences: every aggregate, over the two
 * track events of the `people` workload (each order and each product view feeds 10), windows from a
 * day to all time.
 */
export function benchComputedTraits(): { name: string; calculation: unknown }[] {
  const windows = [
    { within: { days: 1 } },
    { within: { days: 7 } },
    { within: { days: 30 } },
    { within: { hours: 12 } },
    {},
  ];
  return [
    ...aggregates.map((aggregate, i) => ({
      name: `order_${aggregate}`,
      calculation: { event: 'Order Completed', aggregate, property: 'total', ...windows[i % windows.length] },
    })),
    ...aggregates.map((aggregate, i) => ({
      name: `viewed_${aggregate}`,
      calculation: {
        event: 'Product Viewed',
        aggregate,
        // Numeric aggregates of a view read nothing but still cost their work: they read a missing price.
        property: numericAggregates.has(aggregate) ? 'price' : 'sku',
        ...windows[(i + 2) % windows.length],
      },
    })),
  ];
}
