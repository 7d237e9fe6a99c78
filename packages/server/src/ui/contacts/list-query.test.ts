import { describe, expect, it } from 'vitest';
import { defaultColumns, filtersOf, listHref, readListQuery } from './list-query.js';

const read = (query: string) => readListQuery(new URLSearchParams(query));

describe('the contacts list query', () => {
  it('reads filters, sort, page and columns, dropping what is not one of them', () => {
    const query = read(
      'q=ada&stage=lead&sort=email&cols=email,nope,owner&cursor=abc&seenAfter=2026-01-02&seenBefore=junk',
    );
    expect(query).toMatchObject({
      q: 'ada',
      stage: 'lead',
      sort: 'email',
      cursor: 'abc',
      seenAfter: '2026-01-02',
      seenBefore: '',
    });
    expect(query.columns).toEqual(['email', 'owner']);
    expect(read('sort=-password').sort).toBe('-lastSeenAt');
    expect(read('').columns).toEqual(defaultColumns);
  });

  it('turns the query into search filters, the search box among them only beside others', () => {
    expect(filtersOf(read('q=ada'))).toEqual([]);
    expect(filtersOf(read('tag=vip&q=ada@x.io&trait=seats&traitValue=12&seenBefore=2026-01-31'))).toEqual([
      { field: 'tags', op: 'contains', value: 'vip' },
      { field: 'traits.seats', op: 'eq', value: 12 },
      { field: 'lastSeenAt', op: 'lt', value: '2026-02-01T00:00:00.000Z' },
      { field: 'email', op: 'startsWith', value: 'ada@x.io' },
    ]);
    expect(filtersOf(read('trait=newsletter&traitValue=true'))).toEqual([
      { field: 'traits.newsletter', op: 'eq', value: true },
    ]);
    expect(filtersOf(read('trait=plan'))).toEqual([{ field: 'traits.plan', op: 'exists' }]);
  });

  it('writes links that keep the view, leave out defaults, and go back to the first page unless given one', () => {
    const query = read('stage=lead&sort=email&cursor=abc');
    expect(listHref(query)).toBe('/ui/contacts?stage=lead&sort=email');
    expect(listHref(query, { cursor: 'next' })).toBe('/ui/contacts?stage=lead&sort=email&cursor=next');
    expect(listHref(read(''))).toBe('/ui/contacts');
    expect(readListQuery(new URL(`http://x${listHref(query, { sort: '-email' })}`).searchParams)).toMatchObject({
      stage: 'lead',
      sort: '-email',
    });
  });
});
