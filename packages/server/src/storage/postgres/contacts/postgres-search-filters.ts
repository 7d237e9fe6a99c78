import type { Filter, FilterOp } from '../../../contacts/search-filter-spec.js';
import {
  type ComputedTraitsKnown,
  checkedOp,
  compileEach,
  FilterProblem,
  filtersHash,
  likePattern,
  scalar,
  toCount,
  toEpochMs,
  toLifecycleStage,
  toList,
  toText,
  unknownFieldMessage,
} from '../../filter-values.js';
import { lowerAscii } from '../../like-pattern.js';

/**
 * POST /v1/contacts/search filters → SQL conditions on `profiles` for PostgreSQL, with the meaning
 * SQLite's give them (storage/sqlite/contacts/search-filters.ts; the differential test in
 * postgres-search.test.ts compares them): text compared byte for byte and ordered in code points,
 * contains/startsWith folding ASCII letters only, a JSON value matched only by a value of its type.
 * Every value and trait path is a bound parameter. Conditions read the rows they judge: no index of
 * trait values yet, so a search reads the live contacts once (docs/scaling.md).
 */
export interface PostgresFilters {
  readonly conditions: readonly string[];
  readonly params: readonly unknown[];
  readonly hash: string;
}

// Letters, digits, _ and -; dots separate nested keys (the API's rule for trait names).
const traitName = /^[A-Za-z0-9_-]{1,100}(\.[A-Za-z0-9_-]{1,100}){0,9}$/;

export function compilePostgresFilters(
  filters: readonly Filter[],
  computedTraits: ComputedTraitsKnown,
  firstParam: number,
): PostgresFilters {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const conditions = compileEach(filters, (filter) => compileFilter(filter, bind, computedTraits));
  return { conditions, params, hash: filtersHash(filters) };
}

type Bind = (value: unknown) => string;

function compileFilter(filter: Filter, bind: Bind, computedTraits: ComputedTraitsKnown): string {
  const op = checkedOp(filter);
  const { value } = filter;
  if (filter.field.startsWith('traits.')) {
    return jsonFilter('profiles.traits::jsonb', filter.field.slice('traits.'.length), op, value, bind);
  }
  if (filter.field.startsWith('computed.')) {
    const name = filter.field.slice('computed.'.length);
    const known = computedTraits(name);
    if (!known) throw new FilterProblem('field', `no computed trait is named ${name}`);
    // The record leaves out a value a trait has with no events: laid over an object holding it.
    const json = `(jsonb_build_object(${bind(name)}::text, ${bind(JSON.stringify(known.valueWithoutEvents))}::jsonb) ||
      coalesce((SELECT computed::jsonb FROM audience_profiles WHERE profile_id = profiles.id), '{}'::jsonb))`;
    return jsonFilter(json, name, op, value, bind);
  }
  switch (filter.field) {
    case 'email':
      // contact_email is kept lower-cased, so equality is on the lower-cased value.
      return textFilter("nullif(contact_email, '')", op, value, bind, (text) => text.toLowerCase());
    case 'name':
      return textFilter("nullif(contact_name, '')", op, value, bind);
    case 'owner':
      return textFilter('owner', op, value, bind);
    case 'lifecycleStage':
      if (op === 'contains' || op === 'startsWith') refuseOp(op, filter.field);
      return textFilter('lifecycle_stage', op, value, bind, toLifecycleStage);
    case 'tags':
      return setFilter(
        (test) =>
          `EXISTS (SELECT 1 FROM jsonb_array_elements_text(profiles.tags::jsonb) AS tag (value) WHERE ${test('tag.value')})`,
        op,
        value,
        bind,
      );
    case 'company':
      return setFilter(
        (test) => `EXISTS (SELECT 1 FROM profile_companies AS link JOIN companies AS company
          ON company.id = link.company_id WHERE link.profile_id = profiles.id AND ${test('company.group_id')})`,
        op,
        value,
        bind,
      );
    case 'audience':
      return setFilter(
        (test) => `EXISTS (SELECT 1 FROM audience_members AS member
          WHERE member.profile_id = profiles.id AND ${test('member.audience_id')})`,
        op,
        value,
        bind,
      );
    case 'firstSeenAt':
      return orderedFilter('first_seen_at', op, value, bind, toEpochMs);
    case 'lastSeenAt':
      return orderedFilter('last_seen_at', op, value, bind, toEpochMs);
    case 'eventCount':
      return orderedFilter('event_count', op, value, bind, toCount);
    default:
      throw new FilterProblem('field', unknownFieldMessage);
  }
}

function refuseOp(op: string, field: string): never {
  throw new FilterProblem('op', `${op} does not apply to ${field}`);
}

/** neq is the negation of eq, so it also matches contacts without the field. */
const negate = (sql: string) => `NOT coalesce(${sql}, false)`;

/** ASCII letters in either case, as SQLite's LIKE; the value's own % and _ match themselves. */
const like = (expr: string, op: 'contains' | 'startsWith', value: unknown, bind: Bind) =>
  `weft_lower_ascii(${expr}) LIKE ${bind(lowerAscii(likePattern(op, toText(value))))} ESCAPE '\\'`;

function textFilter(
  expr: string,
  op: FilterOp,
  value: unknown,
  bind: Bind,
  normalize: (text: string) => string = (text) => text,
): string {
  switch (op) {
    case 'exists':
      return `${expr} IS NOT NULL`;
    case 'notExists':
      return `${expr} IS NULL`;
    case 'eq':
      return `${expr} = ${bind(normalize(toText(value)))}`;
    case 'neq':
      return negate(`${expr} = ${bind(normalize(toText(value)))}`);
    case 'in':
      return `${expr} = ANY (${bind(toList(value, (item) => normalize(toText(item))))}::text[])`;
    case 'contains':
    case 'startsWith':
      return like(expr, op, value, bind);
    default:
      return refuseOp(op, 'a text field');
  }
}

/** tags, company and audience: a contact has a set of values; eq/contains means it has this one. */
function setFilter(
  some: (test: (member: string) => string) => string,
  op: FilterOp,
  value: unknown,
  bind: Bind,
): string {
  switch (op) {
    case 'exists':
      return some(() => 'true');
    case 'notExists':
      return `NOT ${some(() => 'true')}`;
    case 'eq':
    case 'contains':
    case 'neq': {
      const v = bind(toText(value));
      const sql = some((member) => `${member} = ${v}`);
      return op === 'neq' ? `NOT ${sql}` : sql;
    }
    case 'in': {
      const v = bind(toList(value, toText));
      return some((member) => `${member} = ANY (${v}::text[])`);
    }
    default:
      return refuseOp(op, 'tags, company or audience (a set: eq/contains, neq, in, exists, notExists)');
  }
}

/** Times and counts: always present, compared as numbers. */
function orderedFilter(
  column: string,
  op: FilterOp,
  value: unknown,
  bind: Bind,
  convert: (value: unknown) => number,
): string {
  const comparison = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as Record<string, string>;
  if (op in comparison) return `${column} ${comparison[op]} ${bind(convert(value))}::bigint`;
  if (op === 'in') return `${column} = ANY (${bind(toList(value, convert))}::bigint[])`;
  return refuseOp(op, column === 'event_count' ? 'eventCount' : 'a time (always present)');
}

/** A test of the JSON value at a path of object keys (migration 011's weft_json_at). */
function jsonFilter(json: string, path: string, op: FilterOp, value: unknown, bind: Bind): string {
  if (!traitName.test(path)) {
    throw new FilterProblem('field', 'a trait name is letters, digits, _ and -, nested keys joined by .');
  }
  const at = `weft_json_at(${json}, ${bind(path.split('.'))}::text[])`;
  const type = `jsonb_typeof(${at})`;
  switch (op) {
    case 'exists':
      return `coalesce(${type}, 'null') <> 'null'`;
    case 'notExists':
      return `coalesce(${type}, 'null') = 'null'`;
    case 'eq':
    case 'neq': {
      const sql =
        typeof value === 'boolean'
          ? `${at} = '${value ? 'true' : 'false'}'::jsonb`
          : typedTest(at, '=', scalar(value), bind);
      return op === 'eq' ? `coalesce(${sql}, false)` : negate(sql);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typedTest(at, { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op], scalar(value), bind);
    case 'in':
      // jsonb equality is typed: the text "5" is not the number 5, and 5 is 5.0.
      return `${at} IN (SELECT jsonb_array_elements(${bind(JSON.stringify(toList(value, scalar)))}::jsonb))`;
    case 'contains':
    case 'startsWith':
      return `${type} = 'string' AND ${like(`(${at} #>> '{}')`, op, value, bind)}`;
  }
}

/** A JSON string compared as text in code-point order, a JSON number as a number; nothing else matches. */
function typedTest(at: string, symbol: string, value: string | number, bind: Bind): string {
  return typeof value === 'string'
    ? `jsonb_typeof(${at}) = 'string' AND (${at} #>> '{}') COLLATE "C" ${symbol} ${bind(value)}`
    : `jsonb_typeof(${at}) = 'number' AND (${at} #>> '{}')::numeric ${symbol} ${bind(value)}::numeric`;
}
