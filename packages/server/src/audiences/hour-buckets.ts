import type { AgeWindow } from './audience-rule.js';

/**
 * Event counts kept per hour of the event's (clamped) timestamp: `[hour, count]` pairs, hour =
 * floor(timestamp / 1 h). An event's age is measured from the END of its hour, so a window of
 * 30 days counts an event for between 30 days and 30 days + 1 hour after its timestamp: that hour
 * is the tolerance docs/audiences.md states. Pure: the naive reference buckets raw events the same way.
 */
export type HourCounts = ReadonlyArray<readonly [hour: number, count: number]>;

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
  const map = new Map<number, number>(counts.map(([hour, n]) => [hour, n]));
  map.set(hourOf(timestamp), (map.get(hourOf(timestamp)) ?? 0) + add);
  return compactHours(map, retention, now);
}

/** Merges several profiles' counts (a merged contact reads its own and those it absorbed). */
export function sumHours(all: readonly HourCounts[]): HourCounts {
  if (all.length === 1) return all[0] as HourCounts;
  const map = new Map<number, number>();
  for (const counts of all) for (const [hour, n] of counts) map.set(hour, (map.get(hour) ?? 0) + n);
  return [...map].sort((a, b) => a[0] - b[0]);
}

function compactHours(map: Map<number, number>, retention: Retention, now: number): HourCounts {
  const kept: [number, number][] = [];
  let ancient = 0;
  for (const [hour, n] of map) {
    const isReadable = hour === ancientHour || now - (hour + 1) * hourMs < retention.oldestMs;
    if (isReadable) kept.push([hour, n]);
    else if (retention.keepsAllTime) ancient += n;
  }
  if (ancient > 0) {
    const existing = kept.find(([hour]) => hour === ancientHour);
    if (existing) existing[1] += ancient;
    else kept.push([ancientHour, ancient]);
  }
  return kept.sort((a, b) => a[0] - b[0]);
}
