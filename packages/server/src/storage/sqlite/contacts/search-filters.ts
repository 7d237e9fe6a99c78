import type { Filter, FilterOp } from '../../../contacts/search-filter-spec.js';
import {
  type ComputedTraitsKnown,
  checkedOp,
  compileEach,
  FilterProblem,
  filtersHash,
  likePattern,
  toCount,
  toEpochMs,
  toLifecycleStage,
  toList,
  toText,
  unknownFieldMessage,
} from '../../filter-values.js';
import { type Compiled, type LiveIdSet, negate } from './filter-sql.js';
import { computedFilter, traitFilter } from './trait-filter.js';

/**
 * POST /v1/contacts/search filters → SQL conditions on `profiles`. Only fixed fragments written here
 * reach SQL text; every value and every trait path is a bound parameter (`@f<i>`, `@p<i>`), so the
 * text depends on the filters' fields and ops alone and its statement can be cached by that shape.
 */

export type { LiveIdSet } from './filter-sql.js';

export interface CompiledFilters {
  readonly conditions: readonly string[];
  /**
   * The same conditions, with each indexed one (a top-level trait eq) written as a per-row probe
   * rather than a set SQLite may start from. `conditions` suit a few matches (read them all through
   * the index, then sort); these suit many (walk the sort's index, keep the rows that match).
   */
  readonly probeConditions: readonly string[];
  /**
   * For each condition answered by an index of live contacts alone, a SELECT of their ids: these
   * count without reading a profile. As many as `conditions` when every condition is one.
   */
  readonly liveIdSets: readonly LiveIdSet[];
  /**
   * Every condition but the one `liveIdSets[set]` stands for, the indexed ones as probes: what is
   * left to check on each contact of that set.
   */
  besides(set: number): readonly string[];
  /**
   * The same conditions judged on each row of that set, mostly without reading its profile; none
   * when one of them cannot be.
   */
  liveBesides(set: number): readonly string[] | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  /** Stands for the filters in a cursor, so a cursor cannot be replayed against another query. */
  readonly hash: string;
}

export type { ComputedTraitsKnown } from '../../filter-values.js';

export function compileFilters(
  filters: readonly Filter[],
  computedTraits: ComputedTraitsKnown = () => undefined,
): CompiledFilters {
  const conditions: string[] = [];
  const probeConditions: string[] = [];
  const liveIdSets: LiveIdSet[] = [];
  const liveConditions: (string | undefined)[] = [];
  // Which condition each of liveIdSets stands for.
  const setPositions: number[] = [];
  const params: Record<string, unknown> = {};
  const compiledAll = compileEach(filters, (filter, index) => compileFilter(filter, index, computedTraits));
  compiledAll.forEach((compiled, index) => {
    conditions.push(compiled.sql);
    probeConditions.push(compiled.probeSql ?? compiled.sql);
    liveConditions.push(compiled.liveSql);
    if (compiled.liveIds) {
      liveIdSets.push(compiled.liveIds);
      setPositions.push(index);
    }
    Object.assign(params, compiled.params);
  });
  return {
    conditions,
    probeConditions,
    liveIdSets,
    besides: (set) => probeConditions.filter((_, index) => index !== setPositions[set]),
    liveBesides(set) {
      const others = liveConditions.filter((_, index) => index !== setPositions[set]);
      return others.every((sql) => sql !== undefined) ? (others as string[]) : undefined;
    },
    params,
    hash: filtersHash(filters),
  };
}

function compileFilter(filter: Filter, index: number, computedTraits: ComputedTraitsKnown): Compiled {
  const op = checkedOp(filter);
  const v = `@f${index}`;

  if (filter.field.startsWith('traits.')) return traitFilter(filter.field.slice(7), op, filter.value, index);
  if (filter.field.startsWith('computed.')) {
    const name = filter.field.slice('computed.'.length);
    const known = computedTraits(name);
    if (!known) throw new FilterProblem('field', `no computed trait is named ${name}`);
    return computedFilter(name, known.valueWithoutEvents, op, filter.value, index);
  }
  switch (filter.field) {
    case 'email':
      // contact_email is stored lower-cased, so equality is on the lower-cased value.
      return withContactText(
        textFilter("nullif(contact_email, '')", op, filter.value, v, (text) => text.toLowerCase()),
        'email',
        op,
        filter.value,
        index,
      );
    case 'name':
      return withContactText(
        textFilter("nullif(contact_name, '')", op, filter.value, v),
        'name',
        op,
        filter.value,
        index,
      );
    case 'owner':
      return textFilter('owner', op, filter.value, v);
    case 'lifecycleStage':
      if (op === 'contains' || op === 'startsWith') refuseOp(op, filter.field);
      return textFilter('lifecycle_stage', op, filter.value, v, toLifecycleStage);
    case 'tags':
      return setFilter(
        (test) => `EXISTS (SELECT 1 FROM json_each(profiles.tags) AS tag WHERE ${test('tag.value')})`,
        op,
        filter.value,
        v,
      );
    case 'company':
      return setFilter(
        (test) => `EXISTS (SELECT 1 FROM profile_companies AS link JOIN companies AS company
          ON company.id = link.company_id WHERE link.profile_id = profiles.id AND ${test('company.group_id')})`,
        op,
        filter.value,
        v,
      );
    case 'audience':
      return setFilter(
        (test) => `EXISTS (SELECT 1 FROM audience_members AS member
          WHERE member.profile_id = profiles.id AND ${test('member.audience_id')})`,
        op,
        filter.value,
        v,
      );
    case 'firstSeenAt':
      return orderedFilter('first_seen_at', op, filter.value, v, toEpochMs);
    case 'lastSeenAt':
      return withLastSeenDay(orderedFilter('last_seen_at', op, filter.value, v, toEpochMs), op, v);
    case 'eventCount':
      return orderedFilter('event_count', op, filter.value, v, toCount);
    default:
      throw new FilterProblem('field', unknownFieldMessage);
  }
}

function refuseOp(op: string, field: string): never {
  throw new FilterProblem('op', `${op} does not apply to ${field}`);
}

function textFilter(
  expr: string,
  op: FilterOp,
  value: unknown,
  v: string,
  normalize: (text: string) => string = (text) => text,
): Compiled {
  const name = v.slice(1);
  switch (op) {
    case 'exists':
      return { sql: `${expr} IS NOT NULL`, params: {} };
    case 'notExists':
      return { sql: `${expr} IS NULL`, params: {} };
    case 'eq':
    case 'neq': {
      const sql = `${expr} = ${v}`;
      return { sql: op === 'eq' ? sql : negate(sql), params: { [name]: normalize(toText(value)) } };
    }
    case 'in':
      return {
        sql: `${expr} IN (SELECT value FROM json_each(${v}))`,
        params: { [name]: JSON.stringify(toList(value, (item) => normalize(toText(item)))) },
      };
    case 'contains':
    case 'startsWith':
      // LIKE ignores ASCII case; the value's own % and _ are escaped so they match themselves.
      return { sql: `${expr} LIKE ${v} ESCAPE '\\'`, params: { [name]: likePattern(op, toText(value)) } };
    default:
      return refuseOp(op, 'a text field');
  }
}

/** tags and company: a contact has a set of values; eq/contains means it has this one, in any of these. */
function setFilter(
  some: (test: (member: string) => string) => string,
  op: FilterOp,
  value: unknown,
  v: string,
): Compiled {
  const name = v.slice(1);
  switch (op) {
    case 'exists':
      return { sql: some(() => '1'), params: {} };
    case 'notExists':
      return { sql: `NOT ${some(() => '1')}`, params: {} };
    case 'eq':
    case 'contains':
    case 'neq': {
      const sql = some((member) => `${member} = ${v}`);
      return { sql: op === 'neq' ? `NOT ${sql}` : sql, params: { [name]: toText(value) } };
    }
    case 'in':
      return {
        sql: some((member) => `${member} IN (SELECT value FROM json_each(${v}))`),
        params: { [name]: JSON.stringify(toList(value, toText)) },
      };
    default:
      return refuseOp(op, 'tags, company or audience (a set: eq/contains, neq, in, exists, notExists)');
  }
}

/** Times and counts: always present, compared as numbers. */
function orderedFilter(
  column: string,
  op: FilterOp,
  value: unknown,
  v: string,
  convert: (value: unknown) => number,
): Compiled {
  const name = v.slice(1);
  const comparison = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as Record<string, string>;
  if (op in comparison) return { sql: `${column} ${comparison[op]} ${v}`, params: { [name]: convert(value) } };
  if (op === 'neq') return { sql: `${column} != ${v}`, params: { [name]: convert(value) } };
  if (op === 'in') {
    return {
      sql: `${column} IN (SELECT value FROM json_each(${v}))`,
      params: { [name]: JSON.stringify(toList(value, convert)) },
    };
  }
  return refuseOp(op, column === 'event_count' ? 'eventCount' : 'a time (always present)');
}

/**
 * A lastSeenAt comparison judged on a row of the trait index, which holds the day of its profile's
 * last_seen_at (migration 012, the same integer division): a row on another day than the value's
 * is decided by its day alone, and only one on the same day has its profile read for the time.
 */
function withLastSeenDay(compiled: Compiled, op: FilterOp, v: string): Compiled {
  const otherDays = { eq: '0', gt: '>', gte: '>', lt: '<', lte: '<' }[op as string];
  if (otherDays === undefined) return compiled;
  const day = `CAST(${v} AS INTEGER) / 86400000`;
  const onOtherDays = otherDays === '0' ? '0' : `live.last_seen_day ${otherDays} ${day}`;
  const onTheDay = `EXISTS (SELECT 1 FROM profiles WHERE id = live.profile_id AND ${compiled.sql})`;
  return { ...compiled, liveSql: `CASE live.last_seen_day WHEN ${day} THEN ${onTheDay} ELSE ${onOtherDays} END` };
}

/**
 * email or name `contains`/`startsWith` a value of three characters or more: first the contacts
 * whose email (or name) holds the value's trigrams in a row, read from migration 014's trigram
 * index (few, for a rare value), then the LIKE on each. The index folds case beyond ASCII, so it
 * finds at least what the LIKE keeps. A walk of the sort's index checks the LIKE alone
 * (`probeSql`): a full-text query per row would cost more.
 */
function withContactText(compiled: Compiled, column: 'email' | 'name', op: FilterOp, value: unknown, index: number) {
  if (op !== 'contains' && op !== 'startsWith') return compiled;
  const text = toText(value);
  if ([...text].length < 3) return compiled;
  const query = `t${index}`;
  return {
    sql: `profiles.id IN (SELECT rowid FROM contact_text WHERE contact_text MATCH @${query}) AND ${compiled.sql}`,
    probeSql: compiled.sql,
    // One quoted phrase in one column: nothing in the value is read as query syntax.
    params: { ...compiled.params, [query]: `contact_${column} : "${text.replaceAll('"', '""')}"` },
  };
}
