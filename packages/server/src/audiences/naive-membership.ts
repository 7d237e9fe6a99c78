import { leavesOf, type Rule } from './audience-rule.js';
import { type ContactSnapshot, contactValue } from './contact-values.js';
import { evaluateRule } from './evaluate-rule.js';
import { type CountedEvent, metricCounts, metricOf } from './event-metric.js';
import { type HourCounts, hourOf } from './hour-buckets.js';

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
    value: (name: string) => contactValue(contact, name),
    hours: (key: string) => hours.get(key) ?? [],
    isMember,
  };
  return evaluateRule(rule, facts, now).matches;
}

/** The track event names a rule counts: the only stored events its evaluation needs. */
export function eventNamesOf(rule: Rule): string[] {
  return [...new Set(leavesOf(rule).flatMap((leaf) => (leaf.kind === 'event' ? [leaf.event] : [])))];
}
