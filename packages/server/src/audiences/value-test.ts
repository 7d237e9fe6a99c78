import type { TimePoint, ValueTest } from './audience-rule.js';

/** A test's answer, and when time alone will change it (relative before/after), if it will. */
export interface TestAnswer {
  readonly matches: boolean;
  readonly changesAt?: number;
}

/**
 * One value (a trait, a field, an event property; undefined when absent) against a test, at `now`.
 * Strings compare case-insensitively in contains/startsWith/endsWith, exactly elsewhere; a list
 * (tags) `contains` an element equal to the value; neq is "not eq", so an absent value is neq
 * anything; order ops compare two numbers or two strings, and nothing else matches them.
 */
export function testValue(actual: unknown, test: ValueTest, now: number): TestAnswer {
  const expected = test.value;
  switch (test.op) {
    case 'exists':
      return { matches: actual !== undefined && actual !== null };
    case 'notExists':
      return { matches: actual === undefined || actual === null };
    case 'eq':
      return { matches: actual === expected };
    case 'neq':
      return { matches: actual !== expected };
    case 'in':
      return { matches: (expected as readonly unknown[]).includes(actual) };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { matches: compares(actual, expected, test.op) };
    case 'contains':
      if (Array.isArray(actual)) return { matches: actual.includes(expected) };
      return { matches: typeof actual === 'string' && lower(actual).includes(foldedOf(test)) };
    case 'startsWith':
      return { matches: typeof actual === 'string' && lower(actual).startsWith(foldedOf(test)) };
    case 'endsWith':
      return { matches: typeof actual === 'string' && lower(actual).endsWith(foldedOf(test)) };
    case 'before':
    case 'after':
      return testTime(actual, test.op, test.time as TimePoint, now);
  }
}

const lower = (text: string) => text.toLowerCase();
const foldedOf = (test: ValueTest) => test.folded ?? lower(String(test.value));

function compares(actual: unknown, expected: unknown, op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const comparable =
    (typeof actual === 'number' && typeof expected === 'number') ||
    (typeof actual === 'string' && typeof expected === 'string');
  if (!comparable) return false;
  const a = actual as number | string;
  const b = expected as number | string;
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

/** A trait holding a date: an ISO 8601 string or epoch milliseconds. */
export function readInstant(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * `before -30d`: the instant is more than 30 days ago, true from instant + 30 days on; `after -30d`:
 * less than 30 days ago, false from then on. A fixed instant never changes the answer.
 */
function testTime(actual: unknown, op: 'before' | 'after', point: TimePoint, now: number): TestAnswer {
  const instant = readInstant(actual);
  if (instant === undefined) return { matches: false };
  if ('at' in point) return { matches: op === 'before' ? instant < point.at : instant > point.at };
  const turnsAt = instant + point.ageMs;
  const isOlder = now > turnsAt;
  return {
    matches: op === 'before' ? isOlder : !isOlder,
    ...(isOlder ? {} : { changesAt: turnsAt + 1 }),
  };
}
