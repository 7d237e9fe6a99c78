import { createHash } from 'node:crypto';
import { ApiError } from '../http/api-error.js';
import { lifecycleStages } from './contact-schemas.js';
import { FilterProblem, likePattern, scalar, toCount, toEpochMs, toList, toText } from './filter-values.js';

/**
 * POST /v1/contacts/search filters → SQL conditions on `profiles`. Only fixed fragments written here
 * reach SQL text; every value and every trait path is a bound parameter (`@f<i>`, `@p<i>`), so the
 * text depends on the filters' fields and ops alone and its statement can be cached by that shape.
 */

export { maxInValues } from './filter-values.js';

export const filterOps = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
  'startsWith',
  'exists',
  'notExists',
] as const;
export type FilterOp = (typeof filterOps)[number];

export const filterFields = [
  'email',
  'name',
  'lifecycleStage',
  'owner',
  'tags',
  'company',
  'firstSeenAt',
  'lastSeenAt',
  'eventCount',
  'traits.<name>',
] as const;

export interface Filter {
  readonly field: string;
  readonly op: string;
  readonly value?: unknown;
}

export interface CompiledFilters {
  readonly conditions: readonly string[];
  /**
   * The same conditions, with each indexed one (a top-level trait eq) written as a per-row probe
   * rather than a set SQLite may start from. `conditions` suit a few matches (read them all through
   * the index, then sort); these suit many (walk the sort's index, keep the rows that match).
   */
  readonly probeConditions: readonly string[];
  /**
   * For each condition answered by an index of live contacts alone, a SELECT of their ids and a
   * probe of one id (`live.profile_id`): these count without reading a profile. As many as
   * `conditions` when every condition is one.
   */
  readonly liveIdSets: readonly LiveIdSet[];
  readonly params: Readonly<Record<string, unknown>>;
  /** Stands for the filters in a cursor, so a cursor cannot be replayed against another query. */
  readonly hash: string;
}

// Letters, digits, _ and -; dots separate nested keys. Nothing that could end a quoted JSON path label.
const traitName = /^[A-Za-z0-9_-]{1,100}(\.[A-Za-z0-9_-]{1,100}){0,9}$/;

export interface LiveIdSet {
  /** SELECT profile_id … of every match. */
  readonly select: string;
  /** True when `live.profile_id` is a match. */
  readonly probe: string;
}

interface Compiled {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  /** The per-row form of `sql`, when it reads an index SQLite could drive a query from. */
  readonly probeSql?: string;
  /** The live contacts it matches, read from that index alone. */
  readonly liveIds?: LiveIdSet;
}

export function compileFilters(filters: readonly Filter[]): CompiledFilters {
  const conditions: string[] = [];
  const probeConditions: string[] = [];
  const liveIdSets: LiveIdSet[] = [];
  const params: Record<string, unknown> = {};
  filters.forEach((filter, index) => {
    try {
      const compiled = compileFilter(filter, index);
      conditions.push(compiled.sql);
      probeConditions.push(compiled.probeSql ?? compiled.sql);
      if (compiled.liveIds) liveIdSets.push(compiled.liveIds);
      Object.assign(params, compiled.params);
    } catch (error) {
      if (!(error instanceof FilterProblem)) throw error;
      throw new ApiError(400, 'invalid_request', `filters[${index}].${error.part}: ${error.message}`);
    }
  });
  const canonical = JSON.stringify(filters.map((filter) => [filter.field, filter.op, filter.value ?? null]));
  return {
    conditions,
    probeConditions,
    liveIdSets,
    params,
    hash: createHash('sha256').update(canonical).digest('base64url').slice(0, 16),
  };
}

function compileFilter(filter: Filter, index: number): Compiled {
  const op = filter.op as FilterOp;
  if (!filterOps.includes(op)) throw new FilterProblem('op', `unknown op; expected one of ${filterOps.join(', ')}`);
  const v = `@f${index}`;
  const presence = op === 'exists' || op === 'notExists';
  if (presence && filter.value !== undefined) throw new FilterProblem('value', `${op} takes no value`);
  if (!presence && filter.value === undefined) throw new FilterProblem('value', `${op} needs a value`);

  if (filter.field.startsWith('traits.')) return traitFilter(filter.field.slice(7), op, filter.value, index);
  switch (filter.field) {
    case 'email':
      // contact_email is stored lower-cased, so equality is on the lower-cased value.
      return textFilter("nullif(contact_email, '')", op, filter.value, v, (text) => text.toLowerCase());
    case 'name':
      return textFilter("nullif(contact_name, '')", op, filter.value, v);
    case 'owner':
      return textFilter('owner', op, filter.value, v);
    case 'lifecycleStage':
      if (op === 'contains' || op === 'startsWith') refuseOp(op, filter.field);
      return textFilter('lifecycle_stage', op, filter.value, v, (text) => {
        if (!(lifecycleStages as readonly string[]).includes(text)) {
          throw new FilterProblem('value', `expected one of ${lifecycleStages.join(', ')}`);
        }
        return text;
      });
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
    case 'firstSeenAt':
      return orderedFilter('first_seen_at', op, filter.value, v, toEpochMs);
    case 'lastSeenAt':
      return orderedFilter('last_seen_at', op, filter.value, v, toEpochMs);
    case 'eventCount':
      return orderedFilter('event_count', op, filter.value, v, toCount);
    default:
      throw new FilterProblem('field', `unknown field; expected one of ${filterFields.join(', ')}`);
  }
}

function refuseOp(op: string, field: string): never {
  throw new FilterProblem('op', `${op} does not apply to ${field}`);
}

/** neq is the negation of eq, so it also matches contacts without the field. */
function negate(sql: string): string {
  return `NOT coalesce(${sql}, 0)`;
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
      return refuseOp(op, 'tags or company (a set: eq/contains, neq, in, exists, notExists)');
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

function traitFilter(path: string, op: FilterOp, value: unknown, index: number): Compiled {
  if (!traitName.test(path)) {
    throw new FilterProblem('field', 'a trait name is letters, digits, _ and -, nested keys joined by .');
  }
  const p = `@p${index}`;
  const v = `@f${index}`;
  // Quoted labels, so a key such as "a-b" is read as one name; the path itself is bound, not interpolated.
  const params: Record<string, unknown> = {
    [`p${index}`]: `$${path
      .split('.')
      .map((key) => `."${key}"`)
      .join('')}`,
  };
  const type = `json_type(profiles.traits, ${p})`;
  const extract = `json_extract(profiles.traits, ${p})`;
  const bind = (bound: unknown, sql: string): Compiled => ({ sql, params: { ...params, [`f${index}`]: bound } });
  switch (op) {
    case 'exists':
      return { sql: `coalesce(${type}, 'null') != 'null'`, params };
    case 'notExists':
      return { sql: `coalesce(${type}, 'null') = 'null'`, params };
    case 'eq':
    case 'neq': {
      // A boolean is compared by its JSON type: SQLite has no boolean to bind.
      if (typeof value === 'boolean') {
        const sql = `coalesce(${type} = '${value ? 'true' : 'false'}', 0)`;
        return { sql: op === 'eq' ? sql : negate(sql), params };
      }
      // Typed: the text "5" is not the number 5.
      const sql = `${typedGuard(type, value)} AND ${extract} = ${v}`;
      if (op === 'eq' && !path.includes('.')) return indexedTraitEq(path, scalar(value), index);
      return bind(scalar(value), op === 'eq' ? sql : negate(sql));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const symbol = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      return bind(scalar(value), `${typedGuard(type, value)} AND ${extract} ${symbol} ${v}`);
    }
    case 'in':
      return bind(JSON.stringify(toList(value, scalar)), `${extract} IN (SELECT value FROM json_each(${v}))`);
    case 'contains':
    case 'startsWith':
      return bind(likePattern(op, toText(value)), `${type} = 'text' AND ${extract} LIKE ${v} ESCAPE '\\'`);
  }
}

/**
 * A top-level trait equal to a text or number, through the index of migration 010 instead of the
 * JSON of every profile. The same matches: that table holds every text (of a length a filter
 * value can have) and number trait of each live profile, and a column without affinity keeps the
 * text "5" apart from the number 5.
 */
function indexedTraitEq(name: string, value: string | number, index: number): Compiled {
  const matches = `FROM profile_trait_values WHERE name = @n${index} AND value = @f${index}`;
  return {
    sql: `profiles.id IN (SELECT profile_id ${matches})`,
    probeSql: `EXISTS (SELECT 1 ${matches} AND profile_id = profiles.id)`,
    liveIds: {
      select: `SELECT profile_id ${matches}`,
      probe: `EXISTS (SELECT 1 ${matches} AND profile_id = live.profile_id)`,
    },
    params: { [`n${index}`]: name, [`f${index}`]: value },
  };
}

function typedGuard(type: string, value: unknown): string {
  return typeof value === 'string' ? `${type} = 'text'` : `${type} IN ('integer', 'real')`;
}
