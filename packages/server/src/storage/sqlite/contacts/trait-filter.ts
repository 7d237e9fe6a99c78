import type { FilterOp } from '../../../contacts/search-filter-spec.js';
import { FilterProblem, likePattern, scalar, toList, toText } from '../../filter-values.js';
import { type Compiled, negate } from './filter-sql.js';

/**
 * `traits.<path>` filters: JSON paths into profiles.traits, or migration 010's index for a top-level
 * eq. `computed.<name>` filters: the same tests on the contact's computed values (migration 021).
 */

// Letters, digits, _ and -; dots separate nested keys. Nothing that could end a quoted JSON path label.
const traitName = /^[A-Za-z0-9_-]{1,100}(\.[A-Za-z0-9_-]{1,100}){0,9}$/;

export function traitFilter(path: string, op: FilterOp, value: unknown, index: number): Compiled {
  return jsonFilter('profiles.traits', {}, path, op, value, index, true);
}

/**
 * A computed trait: its value in the contact's record, or `valueWithoutEvents` where the record
 * leaves it out (json_patch lays the record over an object holding that value alone).
 */
export function computedFilter(name: string, valueWithoutEvents: unknown, op: FilterOp, value: unknown, index: number) {
  const json = `json_patch(@d${index}, coalesce((SELECT computed FROM audience_profiles
    WHERE audience_profiles.profile_id = profiles.id), '{}'))`;
  const defaults = { [`d${index}`]: JSON.stringify({ [name]: valueWithoutEvents }) };
  return jsonFilter(json, defaults, name, op, value, index, false);
}

function jsonFilter(
  json: string,
  jsonParams: Record<string, unknown>,
  path: string,
  op: FilterOp,
  value: unknown,
  index: number,
  isIndexed: boolean,
): Compiled {
  if (!traitName.test(path)) {
    throw new FilterProblem('field', 'a trait name is letters, digits, _ and -, nested keys joined by .');
  }
  const p = `@p${index}`;
  const v = `@f${index}`;
  // Quoted labels, so a key such as "a-b" is read as one name; the path itself is bound, not interpolated.
  const params: Record<string, unknown> = {
    ...jsonParams,
    [`p${index}`]: `$${path
      .split('.')
      .map((key) => `."${key}"`)
      .join('')}`,
  };
  const type = `json_type(${json}, ${p})`;
  const extract = `json_extract(${json}, ${p})`;
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
      if (isIndexed && op === 'eq' && !path.includes('.')) return indexedTraitEq(path, scalar(value), index);
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
    liveIds: `SELECT profile_id, last_seen_day ${matches}`,
    liveSql: `EXISTS (SELECT 1 ${matches} AND profile_id = live.profile_id)`,
    params: { [`n${index}`]: name, [`f${index}`]: value },
  };
}

function typedGuard(type: string, value: unknown): string {
  return typeof value === 'string' ? `${type} = 'text'` : `${type} IN ('integer', 'real')`;
}
