import { randomUUID } from 'node:crypto';

export const benchWriteKey = 'wk_bench_0123456789abcdefghijklmnopqrstuvwxyz';
export const benchAdminToken = 'adm_bench_0123456789abcdefghijklmnopqrstuvwxyz';
export const batchSize = 100;

export type Workload = 'plain' | 'people' | 'crm';

/** Events each workload sends. */
export function totalEventsOf(workload: Workload): number {
  if (workload === 'plain') return 200_000;
  return workload === 'crm' ? CRM_PEOPLE * 2 : peopleEvents().length;
}

/** Expected profiles once a workload is ingested with identity resolution on. */
export function expectedProfilesOf(workload: Workload): number {
  if (workload === 'plain') return 5_000;
  return workload === 'crm' ? CRM_PEOPLE : PEOPLE;
}

export function batchesOf(workload: Workload, sentAt: string): Record<string, unknown>[] {
  const count = totalEventsOf(workload) / batchSize;
  if (workload === 'plain') return Array.from({ length: count }, (_, n) => benchBatch(n, sentAt));
  if (workload === 'crm') {
    const events = crmEvents(Date.parse(sentAt));
    return Array.from({ length: count }, (_, n) => ({
      batch: events.slice(n * batchSize, (n + 1) * batchSize),
      sentAt,
    }));
  }
  const events = peopleEvents().map((event) => ({ ...event, messageId: randomUUID(), timestamp: sentAt }));
  return Array.from({ length: count }, (_, n) => ({ batch: events.slice(n * batchSize, (n + 1) * batchSize), sentAt }));
}

// 100,000 distinct people: a third stay anonymous (2 events), the rest browse anonymously,
// identify once, and go on as a known user on the same device (3 events). 266,700 events.
const PEOPLE = 100_000;
let peopleCache: Record<string, unknown>[] | undefined;

function peopleEvents(): Record<string, unknown>[] {
  if (peopleCache) return peopleCache;
  const context = { library: { name: 'weft-bench', version: '1.0.0' }, locale: 'en-GB' };
  const events: Record<string, unknown>[] = [];
  for (let person = 0; person < PEOPLE; person++) {
    const anonymousId = `anon-${person}`;
    events.push({ type: 'page', anonymousId, name: 'Home', context });
    if (person % 3 === 0) {
      events.push({ type: 'track', anonymousId, event: 'Product Viewed', properties: { sku: 'a' }, context });
      continue;
    }
    const userId = `user-${person}`;
    events.push({ type: 'identify', anonymousId, userId, traits: { email: `p${person}@example.com` }, context });
    events.push({ type: 'track', anonymousId, userId, event: 'Order Completed', properties: { total: 9 }, context });
  }
  // Whole batches only: pad to a multiple of the batch size with one more anonymous person's events.
  while (events.length % batchSize !== 0) {
    events.push({ type: 'page', anonymousId: `anon-${PEOPLE - 1}`, name: 'Home', context });
  }
  peopleCache = events;
  return events;
}

// A signup flow or a CRM import: each of 50,000 new people identifies once with an email, a
// name and three traits, at a time spread over the last 300 days, then sends one track.
const CRM_PEOPLE = 50_000;
const plans = ['free', 'starter', 'pro', 'enterprise'];
const industries = ['retail', 'software', 'health', 'finance', 'education', 'media'];

function crmEvents(now: number): Record<string, unknown>[] {
  const context = { library: { name: 'weft-bench', version: '1.0.0' }, locale: 'en-GB' };
  const day = 86_400_000;
  const events: Record<string, unknown>[] = [];
  for (let person = 0; person < CRM_PEOPLE; person++) {
    const userId = `crm-${person}`;
    // Spread evenly, but not in order, over 300 days.
    const at = now - ((person * 7919) % (300 * day)) - 60_000;
    const traits = {
      email: `person${person}@company${person % 997}.example`,
      name: `Person ${person} Example`,
      plan: plans[person % plans.length],
      industry: industries[person % industries.length],
      employees: 10 + (person % 490),
    };
    events.push({
      type: 'identify',
      messageId: randomUUID(),
      userId,
      traits,
      timestamp: new Date(at).toISOString(),
      context,
    });
    events.push({
      type: 'track',
      messageId: randomUUID(),
      userId,
      event: 'Signed Up',
      properties: { plan: traits.plan },
      timestamp: new Date(at + 30_000).toISOString(),
      context,
    });
  }
  return events;
}

/**
 * The events of batch `n`, shaped like analytics-node's: random (v4) messageIds, as real clients
 * send them, a context, a few properties and traits.
 */
export function benchBatch(n: number, sentAt: string): Record<string, unknown> {
  const batch = Array.from({ length: batchSize }, (_, i) => {
    const user = (n * batchSize + i) % 5000;
    const common = {
      messageId: randomUUID(),
      userId: `user-${user}`,
      anonymousId: `anon-${user}`,
      timestamp: sentAt,
      context: { library: { name: 'weft-bench', version: '1.0.0' }, ip: '127.0.0.1', locale: 'en-GB' },
      _metadata: { nodeVersion: process.versions.node, jsRuntime: 'node' },
    };
    return i % 10 === 0
      ? { ...common, type: 'identify', traits: { email: `user-${user}@example.com`, plan: 'pro', seats: 4 } }
      : {
          ...common,
          type: 'track',
          event: 'Product Viewed',
          properties: { sku: `sku-${i}`, price: 19.99, currency: 'EUR' },
        };
  });
  return { batch, sentAt };
}

/**
 * One person as the PostgreSQL benchmarks send them: a page as an anonymous visitor, an identify
 * with userId, email, name and plan, and an order as the known user. `run` makes each run's people new.
 */
export function identifiedPerson(person: number, run: string): Record<string, unknown>[] {
  const context = { library: { name: 'weft-bench', version: '1.0.0' }, locale: 'en-GB' };
  const anonymousId = `anon-${run}-${person}`;
  const userId = `user-${run}-${person}`;
  return [
    { type: 'page', anonymousId, name: 'Home', context },
    {
      type: 'identify',
      anonymousId,
      userId,
      traits: { email: `p${person}@example.com`, name: `Person ${person}`, plan: 'pro' },
      context,
    },
    { type: 'track', anonymousId, userId, event: 'Order Completed', properties: { total: 9 }, context },
  ];
}
