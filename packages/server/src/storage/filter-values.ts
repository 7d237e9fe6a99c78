import { createHash } from 'node:crypto';
import { lifecycleStages } from '../contacts/contact-schemas.js';
import { type Filter, type FilterOp, filterFields, filterOps, maxInValues } from '../contacts/search-filter-spec.js';
import { ApiError } from '../http/api-error.js';

/** Checks and converts one filter value; a problem names the part of the filter it is about. */

const maxTextLength = 500;
const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Why a filter is refused; compileFilters prefixes `filters[i].<part>`. */
export class FilterProblem extends Error {
  constructor(
    readonly part: 'field' | 'op' | 'value',
    message: string,
  ) {
    super(message);
  }
}

export function scalar(value: unknown): string | number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= maxTextLength) return value;
  throw new FilterProblem('value', `expected a string (at most ${maxTextLength} characters) or a number`);
}

export function toText(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxTextLength) {
    throw new FilterProblem('value', `expected a string of 1–${maxTextLength} characters`);
  }
  return value;
}

export function toList<T>(value: unknown, convert: (item: unknown) => T): T[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > maxInValues) {
    throw new FilterProblem('value', `in needs an array of 1–${maxInValues} values`);
  }
  return value.map(convert);
}

export function toEpochMs(value: unknown): number {
  const epochMs = typeof value === 'string' && isoDate.test(value) ? Date.parse(value) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March; a day the month does not have is a mistake, not a date.
  const [year, month, day] = String(value).slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(epochMs) || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day)
    throw new FilterProblem('value', 'expected an ISO 8601 date, such as 2026-03-01T12:00:00Z');
  return epochMs;
}

export function toCount(value: unknown): number {
  if (!Number.isSafeInteger(value)) throw new FilterProblem('value', 'expected an integer');
  return value as number;
}

export function likePattern(op: 'contains' | 'startsWith', text: string): string {
  const escaped = text.replace(/[\\%_]/g, (char) => `\\${char}`);
  return op === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

/** A filter's op, checked against its value: presence ops take none, the others need one. */
export function checkedOp(filter: Filter): FilterOp {
  const op = filter.op as FilterOp;
  if (!filterOps.includes(op)) throw new FilterProblem('op', `unknown op; expected one of ${filterOps.join(', ')}`);
  const presence = op === 'exists' || op === 'notExists';
  if (presence && filter.value !== undefined) throw new FilterProblem('value', `${op} takes no value`);
  if (!presence && filter.value === undefined) throw new FilterProblem('value', `${op} needs a value`);
  return op;
}

/** A lifecycle stage a filter names. */
export function toLifecycleStage(text: string): string {
  if (!(lifecycleStages as readonly string[]).includes(text)) {
    throw new FilterProblem('value', `expected one of ${lifecycleStages.join(', ')}`);
  }
  return text;
}

/** Compiles each filter, a problem answered as 400 naming `filters[i].<part>`. */
export function compileEach<T>(filters: readonly Filter[], compile: (filter: Filter, index: number) => T): T[] {
  return filters.map((filter, index) => {
    try {
      return compile(filter, index);
    } catch (error) {
      if (!(error instanceof FilterProblem)) throw error;
      throw new ApiError(400, 'invalid_request', `filters[${index}].${error.part}: ${error.message}`);
    }
  });
}

/** Stands for the filters in a cursor, so a cursor cannot be replayed against another query. */
export function filtersHash(filters: readonly Filter[]): string {
  const canonical = JSON.stringify(filters.map((filter) => [filter.field, filter.op, filter.value ?? null]));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** The field names a filter may use, for the message that refuses another. */
export const unknownFieldMessage = `unknown field; expected one of ${filterFields.join(', ')}`;

/**
 * What a search knows of computed traits: for a defined one, the value it has with no events (a
 * contact's record leaves that value out); undefined for a name no computed trait has.
 */
export type ComputedTraitsKnown = (name: string) => { readonly valueWithoutEvents: unknown } | undefined;
