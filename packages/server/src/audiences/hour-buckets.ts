import { type Aggregate, type AggregateState, combineStates } from './aggregate.js';
import type { AgeWindow } from './audience-rule.js';

/**
 * Event counts kept per hour of the event's (clamped) timestamp: `[hour, count]` pairs, hour =
 * floor(timestamp / 1 h). An event's age is measured from the END of its hour, so a window of
 * 30 days counts an event for between 30 days and 30 days + 1 hour after its timestamp: that hour
 * is the tolerance docs/audiences.md states. Pure: the naive reference buckets raw events the same way.
 */
export type HourCounts = ReadonlyArray<readonly [hour: number, count: number]>;

/** The same per hour for a computed trait: each hour's events combined into one state (aggregate.ts). */
export type HourStates = ReadonlyArray<readonly [hour: number, state: AggregateState]>;

export const hourMs = 3_600_000;

export const hourOf = (timestamp: number): number => Math.floor(timestamp / hourMs);

/** Where counts older than every finite window go, when some leaf counts all time: the epoch's first hour. */
const ancientHour = 0;

export interface WindowCount {
  readonly count: number;
  /** The next instant at which time alone changes the count, if any. */
  readonly changesAt?: number;
}

/** How many events fall in the window at `now`, and when that number next changes with time. */
export function countInWindow(counts: HourCounts, window: AgeWindow, now: number): WindowCount {
  let count = 0;
  let changesAt = Number.POSITIVE_INFINITY;
  for (const [hour, n] of counts) {
    const end = (hour + 1) * hourMs;
    const age = now - end;
    const isNewEnough = window.newest === 0 || age >= window.newest;
    if (isNewEnough && age < window.oldest) count += n;
    if (window.newest > 0 && age < window.newest) changesAt = Math.min(changesAt, end + window.newest);
    if (age < window.oldest) changesAt = Math.min(changesAt, end + window.oldest);
  }
  return Number.isFinite(changesAt) ? { count, changesAt } : { count };
}

/** How long a metric must keep its hours: the oldest edge of the finite windows that read it, and whether one reads all time. */
export interface Retention {
  readonly oldestMs: number;
  readonly keepsAllTime: boolean;
}

/**
 * `counts` with `add` events at `timestamp` added, and hours no window can read any more dropped
 * (or folded into the ancient hour, when some leaf counts all time). Sorted by hour.
 */
export function addToHours(counts: HourCounts, timestamp: number, add: number, retention: Retention, now: number) {
  return addStateToHours(counts, timestamp, add, 'count', retention, now) as HourCounts;
}

/** `hours` with one event's state combined into its hour, compacted as addToHours does. */
export function addStateToHours(
  hours: HourStates,
  timestamp: number,
  state: AggregateState,
  aggregate: Aggregate,
  retention: Retention,
  now: number,
): HourStates {
  const map = new Map<number, AggregateState>(hours.map(([hour, kept]) => [hour, kept]));
  const hour = hourOf(timestamp);
  const kept = map.get(hour);
  map.set(hour, kept === undefined ? state : combineStates(aggregate, kept, state));
  return compactHours(map, aggregate, retention, now);
}

/** Merges several profiles' counts (a merged contact reads its own and those it absorbed). */
export function sumHours(all: readonly HourCounts[]): HourCounts {
  return combineHours(all, 'count') as HourCounts;
}

/** Merges several profiles' hours, the survivor's first. */
export function combineHours(all: readonly HourStates[], aggregate: Aggregate): HourStates {
  if (all.length === 1) return all[0] as HourStates;
  const map = new Map<number, AggregateState>();
  for (const hours of all) {
    for (const [hour, state] of hours) {
      const kept = map.get(hour);
      map.set(hour, kept === undefined ? state : combineStates(aggregate, kept, state));
    }
  }
  return [...map].sort((a, b) => a[0] - b[0]);
}

export interface WindowState {
  /** The hours in the window combined; undefined when none is. */
  readonly state?: AggregateState;
  /** The next instant at which time alone changes which hours are in the window, if any. */
  readonly changesAt?: number;
}

/** The hours in the window at `now` combined, oldest first, and when time next changes that. */
export function stateInWindow(hours: HourStates, window: AgeWindow, now: number, aggregate: Aggregate): WindowState {
  let state: AggregateState | undefined;
  let changesAt = Number.POSITIVE_INFINITY;
  for (const [hour, kept] of hours) {
    const end = (hour + 1) * hourMs;
    const age = now - end;
    if (age < window.oldest) {
      state = state === undefined ? kept : combineStates(aggregate, state, kept);
      changesAt = Math.min(changesAt, end + window.oldest);
    }
  }
  return { ...(state === undefined ? {} : { state }), ...(Number.isFinite(changesAt) ? { changesAt } : {}) };
}

function compactHours(
  map: Map<number, AggregateState>,
  aggregate: Aggregate,
  retention: Retention,
  now: number,
): HourStates {
  const kept: [number, AggregateState][] = [];
  let ancient: AggregateState | undefined;
  for (const [hour, state] of [...map].sort((a, b) => a[0] - b[0])) {
    const isReadable = hour === ancientHour || now - (hour + 1) * hourMs < retention.oldestMs;
    if (isReadable) kept.push([hour, state]);
    else if (retention.keepsAllTime) ancient = ancient === undefined ? state : combineStates(aggregate, ancient, state);
  }
  if (ancient !== undefined) {
    const existing = kept.find(([hour]) => hour === ancientHour);
    if (existing) existing[1] = combineStates(aggregate, existing[1], ancient);
    else kept.unshift([ancientHour, ancient]);
  }
  return kept;
}
