import type { AudienceState } from './audience-state.js';
import { addEvent, type CountedEvent, type EventMetric } from './event-metric.js';

/**
 * Counts stored events into a new metric's hours, contact by contact (a backfill's slice, its
 * events grouped by the live contact they belong to now): each record is read and written once.
 */
export function countStoredEvents(
  state: Pick<AudienceState, 'readProfile' | 'write'>,
  metric: EventMetric,
  byContact: ReadonlyMap<number, readonly CountedEvent[]>,
  at: number,
): void {
  for (const [profileId, events] of byContact) {
    const profile = state.readProfile(profileId);
    let hours = profile.hours[metric.key] ?? [];
    let isCounted = false;
    for (const event of events) {
      const next = addEvent(metric, hours, event, at);
      if (next === undefined) continue;
      hours = next;
      isCounted = true;
    }
    if (isCounted) state.write(profileId, { ...profile, hours: { ...profile.hours, [metric.key]: hours } });
  }
}

/** Stored track events grouped by the live contact each belongs to now (`live_id`). */
export function groupByContact(
  rows: Iterable<{
    readonly live_id: number;
    readonly event: string;
    readonly timestamp: number;
    readonly body: string;
  }>,
): Map<number, CountedEvent[]> {
  const byContact = new Map<number, CountedEvent[]>();
  for (const row of rows) {
    const body = JSON.parse(row.body) as { properties?: unknown };
    const event = { type: 'track', name: row.event, timestamp: row.timestamp, properties: body.properties };
    const list = byContact.get(row.live_id);
    if (list) list.push(event);
    else byContact.set(row.live_id, [event]);
  }
  return byContact;
}
