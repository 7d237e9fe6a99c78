import { aggregateLimits, numericAggregates } from './aggregate.js';
import { leavesOf, type Rule } from './audience-rule.js';
import { type ComputedCalculation, metricOfCalculation } from './computed-trait.js';
import { type ContactSnapshot, contactValue } from './contact-values.js';
import { evaluateRule } from './evaluate-rule.js';
import { type CountedEvent, metricCounts, metricOf, propertyAt } from './event-metric.js';
import { type HourCounts, hourMs, hourOf } from './hour-buckets.js';

/**
 * A rule answered straight from a contact's stored events, with no kept state: what preview uses,
 * and the reference the incremental evaluation is checked against (audience-engine.property.test.ts).
 * `events` are those of the contact and of every profile merged into it.
 */
export function matchesFromEvents(
  rule: Rule,
  contact: ContactSnapshot,
  events: readonly CountedEvent[],
  isMember: (audienceId: string) => boolean,
  now: number,
  computed: (name: string) => unknown = () => undefined,
): boolean {
  const hours = new Map<string, HourCounts>();
  for (const leaf of leavesOf(rule)) {
    if (leaf.kind !== 'event') continue;
    const metric = metricOf(leaf);
    if (hours.has(metric.key)) continue;
    const byHour = new Map<number, number>();
    for (const event of events) {
      if (!metricCounts(metric, event)) continue;
      byHour.set(hourOf(event.timestamp), (byHour.get(hourOf(event.timestamp)) ?? 0) + 1);
    }
    hours.set(metric.key, [...byHour]);
  }
  const facts = {
    value: (name: string) => contactValue(contact, name, computed),
    hours: (key: string) => hours.get(key) ?? [],
    isMember,
  };
  return evaluateRule(rule, facts, now).matches;
}

/** The track event names a rule counts: the only stored events its evaluation needs. */
export function eventNamesOf(rule: Rule): string[] {
  return [...new Set(leavesOf(rule).flatMap((leaf) => (leaf.kind === 'event' ? [leaf.event] : [])))];
}

/**
 * A computed trait's value straight from a contact's events (in the order they were stored), with
 * none of the per-hour states ingest keeps: the reference computed traits are checked against.
 */
export function computedFromEvents(
  calculation: ComputedCalculation,
  events: readonly CountedEvent[],
  now: number,
): unknown {
  const metric = metricOfCalculation(calculation);
  const { aggregate, property } = calculation;
  const values: { value: unknown; timestamp: number }[] = [];
  for (const event of events) {
    if (!metricCounts(metric, event)) continue;
    // An event's age runs from the end of its hour (hour-buckets.ts).
    if (now - (hourOf(event.timestamp) + 1) * hourMs >= calculation.window.oldest) continue;
    const value = property === undefined ? undefined : propertyAt(event.properties, property);
    if (aggregate === 'count') {
      if (property === undefined || value !== undefined) values.push({ value, timestamp: event.timestamp });
    } else if (numericAggregates.has(aggregate)) {
      if (typeof value === 'number' && Number.isFinite(value)) values.push({ value, timestamp: event.timestamp });
    } else if (isKept(value)) values.push({ value, timestamp: event.timestamp });
  }
  const numbers = values.map(({ value }) => value as number);
  switch (aggregate) {
    case 'count':
      return values.length;
    case 'sum':
      return numbers.reduce((sum, n) => sum + n, 0);
    case 'min':
      return numbers.length === 0 ? null : Math.min(...numbers);
    case 'max':
      return numbers.length === 0 ? null : Math.max(...numbers);
    case 'avg':
      return numbers.length === 0 ? null : numbers.reduce((sum, n) => sum + n, 0) / numbers.length;
    case 'first':
    case 'last': {
      // Earliest (or latest) timestamp; a tie goes to the value whose JSON text sorts first (or last).
      const text = (x: { value: unknown }) => JSON.stringify(x.value);
      const ordered = [...values].sort(
        (x, y) => x.timestamp - y.timestamp || (text(x) < text(y) ? -1 : text(x) > text(y) ? 1 : 0),
      );
      return (aggregate === 'first' ? ordered[0] : ordered.at(-1))?.value ?? null;
    }
    default: {
      const seen = new Map<string, number>();
      for (const { value } of values) seen.set(JSON.stringify(value), (seen.get(JSON.stringify(value)) ?? 0) + 1);
      const ranked = [...seen].sort(([a, nA], [b, nB]) => nB - nA || (a < b ? -1 : a > b ? 1 : 0));
      const list = ranked.map(([key]) => JSON.parse(key) as unknown);
      if (aggregate === 'uniqueCount') return list.length;
      if (aggregate === 'mostFrequent') return list[0] ?? null;
      return list.length === 0 ? null : list;
    }
  }
}

function isKept(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= aggregateLimits.maxStringLength;
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
