/**
 * The kinds of request `pnpm bench:contacts` times: what each sends (varying from one request to
 * the next where the issue allows) and whether the p95 target applies to it.
 */
import { personOf, rarePlan, seedNow } from './contact-seed.js';

export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export interface RequestKind {
  readonly name: string;
  /** Held to the p95 target; the others are measured and reported only. */
  readonly isTargeted: boolean;
  /** The i-th request; `random` is the bench's seeded generator, in [0, 1). */
  request(i: number, random: () => number): BenchRequest;
}

const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const search = (filters: unknown[]): BenchRequest => ({
  method: 'POST',
  path: '/v1/contacts/search',
  body: { filters },
});

/** Every sort, both directions: page 100 is fetched from a different place in turn. */
export const page100Sorts = [
  '-lastSeenAt',
  'lastSeenAt',
  '-firstSeenAt',
  'firstSeenAt',
  '-createdAt',
  'createdAt',
  '-email',
  'email',
] as const;

export function requestKinds(count: number, page100Cursors: ReadonlyMap<string, string>): RequestKind[] {
  const person = (random: () => number) => personOf(Math.floor(random() * count), count, seedNow);
  return [
    {
      name: 'get by email',
      isTargeted: true,
      request: (_i, random) => ({
        method: 'GET',
        path: `/v1/contacts/email:${encodeURIComponent(person(random).email)}`,
      }),
    },
    { name: 'list page 1', isTargeted: true, request: () => ({ method: 'GET', path: '/v1/contacts' }) },
    {
      name: 'list page 100 (cursor)',
      isTargeted: true,
      request(i) {
        const sort = page100Sorts[i % page100Sorts.length] as string;
        const cursor = page100Cursors.get(sort) as string;
        return { method: 'GET', path: `/v1/contacts?sort=${encodeURIComponent(sort)}&cursor=${cursor}` };
      },
    },
    {
      name: 'search traits.plan eq (1%)',
      isTargeted: true,
      request: () => search([{ field: 'traits.plan', op: 'eq', value: rarePlan }]),
    },
    {
      name: 'search lastSeenAt range (7 days)',
      isTargeted: true,
      request(_i, random) {
        const from = seedNow - Math.floor((7 + random() * 358) * day);
        return search([
          { field: 'lastSeenAt', op: 'gte', value: iso(from) },
          { field: 'lastSeenAt', op: 'lt', value: iso(from + 7 * day) },
        ]);
      },
    },
    {
      name: 'search plan eq + lastSeenAt gte',
      isTargeted: true,
      request: (_i, random) =>
        search([
          { field: 'traits.plan', op: 'eq', value: rarePlan },
          { field: 'lastSeenAt', op: 'gte', value: iso(seedNow - Math.floor(30 + random() * 60) * day) },
        ]),
    },
    {
      name: 'search plan eq + country eq',
      isTargeted: true,
      request: () =>
        search([
          { field: 'traits.plan', op: 'eq', value: rarePlan },
          { field: 'traits.country', op: 'eq', value: 'FR' },
        ]),
    },
    {
      name: 'search name contains',
      isTargeted: false,
      request: () => search([{ field: 'name', op: 'contains', value: 'hopp' }]),
    },
    {
      name: 'search email contains (1 match)',
      isTargeted: false,
      request: (_i, random) => search([{ field: 'email', op: 'contains', value: `.${Math.floor(random() * count)}@` }]),
    },
    {
      name: 'list q= email prefix',
      isTargeted: false,
      request: (_i, random) => ({ method: 'GET', path: `/v1/contacts?q=${encodeURIComponent(person(random).email)}` }),
    },
    {
      name: 'timeline by user_id',
      isTargeted: false,
      request: (_i, random) => ({ method: 'GET', path: `/v1/contacts/user_id:${person(random).userId}/events` }),
    },
  ];
}
