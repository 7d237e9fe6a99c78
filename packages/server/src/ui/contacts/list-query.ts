import { type ContactSort, contactSorts, type lifecycleStages } from '../../contacts/contact-schemas.js';
import type { Filter } from '../../contacts/search-filter-spec.js';

/**
 * The contacts list's state, all in its query string (so a view can be bookmarked, shared and
 * saved): the search box, the filters, the sort, the page and the columns shown. Pure.
 */
export interface ListQuery {
  readonly q: string;
  readonly stage: string;
  readonly owner: string;
  readonly tag: string;
  readonly audience: string;
  readonly trait: string;
  readonly traitValue: string;
  /** yyyy-mm-dd: last seen on or after this day (UTC). */
  readonly seenAfter: string;
  readonly seenBefore: string;
  readonly sort: ContactSort;
  readonly cursor: string | undefined;
  readonly columns: readonly ListColumn[];
}

export const listColumns = {
  name: 'Name',
  email: 'Email',
  lifecycleStage: 'Lifecycle stage',
  owner: 'Owner',
  tags: 'Tags',
  companies: 'Companies',
  phone: 'Phone',
  lastSeenAt: 'Last seen',
  firstSeenAt: 'First seen',
  createdAt: 'Created',
  eventCount: 'Events',
} as const;
export type ListColumn = keyof typeof listColumns;
export const defaultColumns: readonly ListColumn[] = ['name', 'email', 'lifecycleStage', 'owner', 'tags', 'lastSeenAt'];

/** The columns a click sorts by: the sorts the store keeps an order for. */
export const sortableColumns: Partial<Record<ListColumn, string>> = {
  email: 'email',
  lastSeenAt: 'lastSeenAt',
  firstSeenAt: 'firstSeenAt',
  createdAt: 'createdAt',
};

const maxText = 200;
const day = /^\d{4}-\d{2}-\d{2}$/;

export function readListQuery(params: URLSearchParams): ListQuery {
  const text = (name: string) => (params.get(name) ?? '').trim().slice(0, maxText);
  const sort = params.get('sort');
  const asked = params.getAll('cols').flatMap((value) => value.split(','));
  const columns = asked.filter((name): name is ListColumn => Object.hasOwn(listColumns, name));
  return {
    q: text('q'),
    stage: text('stage'),
    owner: text('owner'),
    tag: text('tag'),
    audience: text('audience'),
    trait: text('trait'),
    traitValue: text('traitValue'),
    seenAfter: day.test(text('seenAfter')) ? text('seenAfter') : '',
    seenBefore: day.test(text('seenBefore')) ? text('seenBefore') : '',
    sort: (contactSorts as readonly string[]).includes(sort ?? '') ? (sort as ContactSort) : '-lastSeenAt',
    cursor: params.get('cursor') || undefined,
    columns: columns.length > 0 ? [...new Set(columns)] : defaultColumns,
  };
}

/** The search filters the query names (none: the plain list, which the search box alone can use). */
export function filtersOf(query: ListQuery): Filter[] {
  const filters: Filter[] = [];
  if (query.stage) filters.push({ field: 'lifecycleStage', op: 'eq', value: query.stage });
  if (query.owner) filters.push({ field: 'owner', op: 'eq', value: query.owner });
  if (query.tag) filters.push({ field: 'tags', op: 'contains', value: query.tag });
  if (query.audience) filters.push({ field: 'audience', op: 'eq', value: query.audience });
  if (query.trait) {
    const field = `traits.${query.trait}`;
    filters.push(
      query.traitValue ? { field, op: 'eq', value: traitValueOf(query.traitValue) } : { field, op: 'exists' },
    );
  }
  if (query.seenAfter) filters.push({ field: 'lastSeenAt', op: 'gte', value: `${query.seenAfter}T00:00:00.000Z` });
  if (query.seenBefore) filters.push({ field: 'lastSeenAt', op: 'lt', value: nextDay(query.seenBefore) });
  if (filters.length > 0 && query.q) filters.push(searchBoxFilter(query.q));
  return filters;
}

/** The search box as a search filter: a prefix of the email when it holds an @, else of the name. */
export function searchBoxFilter(q: string): Filter {
  return { field: q.includes('@') ? 'email' : 'name', op: 'startsWith', value: q };
}

/** A typed value as a trait holds it: numbers and booleans as such, anything else as text. */
function traitValueOf(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString();
}

/** The query string of `query` with some parts changed (undefined removes one); the page is reset unless given. */
export function listHref(query: ListQuery, changes: Partial<Record<keyof ListQuery, unknown>> = {}): string {
  const merged = { ...query, cursor: undefined, ...changes };
  const params = new URLSearchParams();
  for (const name of [
    'q',
    'stage',
    'owner',
    'tag',
    'audience',
    'trait',
    'traitValue',
    'seenAfter',
    'seenBefore',
  ] as const) {
    const value = merged[name];
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  if (merged.sort !== '-lastSeenAt') params.set('sort', String(merged.sort));
  const columns = merged.columns as readonly ListColumn[];
  if (columns.join(',') !== defaultColumns.join(',')) params.set('cols', columns.join(','));
  if (typeof merged.cursor === 'string') params.set('cursor', merged.cursor);
  const search = params.toString();
  return search ? `/ui/contacts?${search}` : '/ui/contacts';
}

export const stageLabels: Record<(typeof lifecycleStages)[number], string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing qualified lead',
  salesqualifiedlead: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};
