import { createHash } from 'node:crypto';
import { type Aggregate, stateOfEvent } from './aggregate.js';
import { type EventLeaf, leavesOf, type PropertyTest, type Rule } from './audience-rule.js';
import { addStateToHours, type HourStates, type Retention } from './hour-buckets.js';
import { testValue } from './value-test.js';

/**
 * What an event leaf counts, apart from its count: a track event's name, the tests on its
 * properties, and how far back it must keep hours (its retention class). Leaves (of any audience)
 * that count the same thing share one metric, and so one set of per-contact hour counts.
 */
export interface EventMetric {
  /** Stable across restarts: a hash of the event name, its where tests and its retention class. */
  readonly key: string;
  readonly event: string;
  readonly where: readonly PropertyTest[];
  readonly retention: Retention;
  /**
   * What a computed trait keeps of each event: its aggregate of a property (computed-trait.ts).
   * Absent for an event leaf's metric, which counts events.
   */
  readonly measure?: Measure;
}

export interface Measure {
  readonly aggregate: Aggregate;
  /** A dotted path into the event's properties; absent only for count. */
  readonly property?: string;
}

const dayMs = 24 * 3_600_000;
/**
 * Retention classes: a leaf's metric keeps hours for the smallest class that holds its window
 * (1, 2, 4 … 512 days, 730 days, or all time), fixed when the metric is made. A leaf with a longer
 * window never joins a metric that already dropped the hours it needs: it gets a metric of its
 * own class, counted from the stored events by a backfill.
 */
const retentionClasses = [...Array.from({ length: 10 }, (_, k) => 2 ** k * dayMs), 730 * dayMs];

export function retentionClassOf(oldestMs: number): Retention {
  const oldest = retentionClasses.find((limit) => oldestMs <= limit);
  return oldest === undefined ? { oldestMs: 0, keepsAllTime: true } : { oldestMs: oldest, keepsAllTime: false };
}

/** The facts of a stored event an event leaf reads. */
export interface CountedEvent {
  readonly type: string;
  readonly name: string | null;
  readonly timestamp: number;
  readonly properties: unknown;
}

const metrics = new WeakMap<EventLeaf, EventMetric>();

export function metricOf(leaf: EventLeaf): EventMetric {
  const known = metrics.get(leaf);
  if (known) return known;
  const retention = retentionClassOf(leaf.window.oldest);
  const key = createHash('sha256')
    .update(JSON.stringify([leaf.event, leaf.where, retention.keepsAllTime ? 'all' : retention.oldestMs]))
    .digest('base64url')
    .slice(0, 16);
  const metric = { key, event: leaf.event, where: leaf.where, retention };
  metrics.set(leaf, metric);
  return metric;
}

/**
 * The metric's hours with this event in, or undefined when the metric does not count it (another
 * name, a where test fails, or a computed trait's property holds no value its aggregate counts).
 */
export function addEvent(
  metric: EventMetric,
  hours: HourStates,
  event: CountedEvent,
  now: number,
): HourStates | undefined {
  if (!metricCounts(metric, event)) return undefined;
  const aggregate = metric.measure?.aggregate ?? 'count';
  const state = stateOfMeasure(metric.measure, event);
  if (state === undefined) return undefined;
  return addStateToHours(hours, event.timestamp, state, aggregate, metric.retention, now);
}

function stateOfMeasure(measure: Measure | undefined, event: CountedEvent) {
  if (measure === undefined) return 1;
  const value = measure.property === undefined ? undefined : propertyAt(event.properties, measure.property);
  if (measure.aggregate === 'count' && measure.property !== undefined && value === undefined) return undefined;
  return stateOfEvent(measure.aggregate, value, event.timestamp);
}

/** Whether the metric counts this event. Where tests hold no relative ages (parse-rule.ts), so `now` does not matter. */
export function metricCounts(metric: EventMetric, event: CountedEvent): boolean {
  if (event.type !== 'track' || event.name !== metric.event) return false;
  return metric.where.every((test) => testValue(propertyAt(event.properties, test.property), test, 0).matches);
}

/** A dotted path into an event's properties (`items.0.sku`); undefined when any step is missing. */
export function propertyAt(properties: unknown, path: string): unknown {
  let value: unknown = properties;
  for (const step of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** The distinct metrics a rule's event leaves count. */
export function metricsOfRule(rule: Rule): EventMetric[] {
  const found = new Map<string, EventMetric>();
  for (const leaf of leavesOf(rule)) if (leaf.kind === 'event') found.set(metricOf(leaf).key, metricOf(leaf));
  return [...found.values()];
}
