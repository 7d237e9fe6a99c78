// Audience and computed trait definitions that read every kind of leaf, defined alike on any store:
// what the tests comparing PostgreSQL with SQLite define. Not part of the build.
import type { AudienceStore } from '../audiences/audience-store.js';
import type { ComputedTraitStore } from '../audiences/computed-trait-store.js';

/** Definitions that read every kind of leaf: traits, displayed fields, counts, windows, computed values, audiences. */
export const computedDefinitions = [
  { name: 'views', calculation: { event: 'Viewed', aggregate: 'count' } },
  { name: 'recentPaid', calculation: { event: 'Paid', aggregate: 'count', within: { hours: 1 } } },
];
/** Rules name audiences defined before them by id: each rule is made when its turn comes. */
export const audienceDefinitions: [string, (idOf: (name: string) => string) => unknown][] = [
  ['pro', () => ({ trait: 'plan', op: 'eq', value: 'pro' })],
  ['payers', () => ({ event: 'Paid', count: { op: 'gte', n: 2 } })],
  ['recent viewers', () => ({ event: 'Viewed', within: { hours: 1 } })],
  ['bo', () => ({ trait: 'email', op: 'contains', value: 'bo' })],
  ['named', () => ({ trait: 'name', op: 'exists' })],
  ['busy', () => ({ trait: 'eventCount', op: 'gte', value: 4 })],
  ['lately', () => ({ trait: 'lastSeenAt', op: 'after', value: '-2h' })],
  ['pro viewers', (idOf) => ({ all: [{ audience: idOf('pro') }, { trait: 'computed.views', op: 'gte', value: 2 }] })],
  ['no recent pay', () => ({ not: { trait: 'computed.recentPaid', op: 'gte', value: 1 } })],
];

export interface Definer {
  readonly audiences: AudienceStore;
  readonly computedTraits: ComputedTraitStore;
}

/**
 * Defines everything on a store; answers audience name by id. A millisecond apart: definitions of
 * one millisecond are ordered by their random ids, which the two engines draw differently.
 */
export async function define(store: Definer, clock: { time: number }): Promise<Map<string, string>> {
  const start = clock.time;
  for (const definition of computedDefinitions) {
    clock.time += 1;
    await store.computedTraits.create(definition);
  }
  const ids = new Map<string, string>();
  for (const [name, rule] of audienceDefinitions) {
    clock.time += 1;
    ids.set(name, (await store.audiences.create({ name, rule: rule((named) => ids.get(named) as string) })).id);
  }
  clock.time = start;
  return new Map([...ids].map(([name, id]) => [id, name]));
}

export async function settle(store: Definer): Promise<void> {
  while (await store.audiences.backfillStep(7)) {}
  while ((await store.audiences.sweepStep(100)) > 0) {}
}
