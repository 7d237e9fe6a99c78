/**
 * What a computed trait makes of the events it reads (docs/audiences.md, Computed traits): each
 * event becomes a small state, states of the same hour (or of merged contacts) combine, and the
 * states within the window make the trait's value. Pure: the naive reference reads raw events
 * through the same functions.
 */

export const aggregates = [
  'count',
  'sum',
  'min',
  'max',
  'avg',
  'first',
  'last',
  'mostFrequent',
  'uniqueList',
  'uniqueCount',
] as const;
export type Aggregate = (typeof aggregates)[number];

/** Aggregates that read a number: other values of the property are not counted. */
export const numericAggregates: ReadonlySet<Aggregate> = new Set(['sum', 'min', 'max', 'avg']);

/**
 * A count or a number (count, sum, min, max); [sum, n] (avg); [timestamp, value] (first, last);
 * value (as JSON text) → times seen (mostFrequent, uniqueList, uniqueCount).
 */
export type AggregateState = number | readonly [number, unknown] | Readonly<Record<string, number>>;

export const aggregateLimits = {
  /** Distinct values a contact's mostFrequent / unique trait keeps: later new values are not counted. */
  maxDistinct: 1_000,
  /** Longer strings are not counted by first, last, mostFrequent or the unique aggregates. */
  maxStringLength: 256,
} as const;

/** One event's state: undefined when the event's value is not one the aggregate counts. */
export function stateOfEvent(aggregate: Aggregate, value: unknown, timestamp: number): AggregateState | undefined {
  if (aggregate === 'count') return 1;
  if (numericAggregates.has(aggregate)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return aggregate === 'avg' ? [value, 1] : value;
  }
  if (!isKeptScalar(value)) return undefined;
  if (aggregate === 'first' || aggregate === 'last') return [timestamp, value];
  return { [JSON.stringify(value)]: 1 };
}

function isKeptScalar(value: unknown): value is string | number | boolean {
  if (typeof value === 'string') return value.length <= aggregateLimits.maxStringLength;
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

type TimedValue = readonly [timestamp: number, value: unknown];

/**
 * Whether `a` comes before `b` for first and last: by timestamp, and on a tie by the value's JSON
 * text, so that the answer does not depend on the order events were counted in (ingest, backfill
 * and merges count them in different orders).
 */
export function isBefore(a: TimedValue, b: TimedValue): boolean {
  if (a[0] !== b[0]) return a[0] < b[0];
  return JSON.stringify(a[1]) < JSON.stringify(b[1]);
}

/** Two states as one, whichever order they come in (but for which values a full distinct list keeps). */
export function combineStates(aggregate: Aggregate, earlier: AggregateState, later: AggregateState): AggregateState {
  switch (aggregate) {
    case 'count':
    case 'sum':
      return (earlier as number) + (later as number);
    case 'min':
      return Math.min(earlier as number, later as number);
    case 'max':
      return Math.max(earlier as number, later as number);
    case 'avg': {
      const [sumA, nA] = earlier as readonly [number, number];
      const [sumB, nB] = later as readonly [number, number];
      return [sumA + sumB, nA + nB];
    }
    case 'first':
      return isBefore(later as TimedValue, earlier as TimedValue) ? later : earlier;
    case 'last':
      return isBefore(earlier as TimedValue, later as TimedValue) ? later : earlier;
    default: {
      const seen: Record<string, number> = { ...(earlier as Record<string, number>) };
      let distinct = Object.keys(seen).length;
      for (const [key, n] of Object.entries(later as Record<string, number>)) {
        if (seen[key] !== undefined) seen[key] += n;
        else if (distinct < aggregateLimits.maxDistinct) {
          seen[key] = n;
          distinct += 1;
        }
      }
      return seen;
    }
  }
}

/**
 * The trait's value from the state of every event in its window (undefined for none): count,
 * sum and uniqueCount are then 0, the others have no value (null). uniqueList lists values most
 * frequent first, ties in the order of their JSON text; mostFrequent is the first of that list.
 */
export function valueOfState(aggregate: Aggregate, state: AggregateState | undefined): unknown {
  if (state === undefined)
    return aggregate === 'count' || aggregate === 'sum' || aggregate === 'uniqueCount' ? 0 : null;
  switch (aggregate) {
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
      return state;
    case 'avg': {
      const [sum, n] = state as readonly [number, number];
      return sum / n;
    }
    case 'first':
    case 'last':
      return (state as readonly [number, unknown])[1];
    case 'uniqueCount':
      return Object.keys(state as Record<string, number>).length;
    default: {
      const ranked = Object.entries(state as Record<string, number>)
        .sort(([keyA, nA], [keyB, nB]) => nB - nA || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0))
        .map(([key]) => JSON.parse(key) as unknown);
      return aggregate === 'mostFrequent' ? (ranked[0] ?? null) : ranked;
    }
  }
}
