import { createHash } from 'node:crypto';
import { type EventLeaf, leavesOf, type PropertyTest, type Rule } from './audience-rule.js';
import type { Retention } from './hour-buckets.js';
import { testValue } from './value-test.js';

/**
 * What an event leaf counts, apart from its window and count: a track event's name and the tests on
 * its properties. Leaves (of any audience) that count the same thing share one metric, and so one
 * set of per-contact hour counts.
 */
export interface EventMetric {
  /** Stable across restarts: a hash of the event name and its where tests. */
  readonly key: string;
  readonly event: string;
  readonly where: readonly PropertyTest[];
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
  const key = createHash('sha256')
    .update(JSON.stringify([leaf.event, leaf.where]))
    .digest('base64url')
    .slice(0, 16);
  const metric = { key, event: leaf.event, where: leaf.where };
  metrics.set(leaf, metric);
  return metric;
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

/** How long a metric's hours must be kept, given the windows of every leaf that reads it. */
export function retentionOf(leaves: readonly EventLeaf[]): Retention {
  let oldestMs = 0;
  let keepsAllTime = false;
  for (const leaf of leaves) {
    if (Number.isFinite(leaf.window.oldest)) oldestMs = Math.max(oldestMs, leaf.window.oldest);
    else keepsAllTime = true;
  }
  return { oldestMs, keepsAllTime };
}

/** The distinct metrics a rule's event leaves count. */
export function metricsOfRule(rule: Rule): EventMetric[] {
  const found = new Map<string, EventMetric>();
  for (const leaf of leavesOf(rule)) if (leaf.kind === 'event') found.set(metricOf(leaf).key, metricOf(leaf));
  return [...found.values()];
}
