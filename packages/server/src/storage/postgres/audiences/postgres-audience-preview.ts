import type pg from 'pg';
import type { Rule } from '../../../audiences/audience-rule.js';
import type { AudienceSet } from '../../../audiences/audience-set.js';
import { emptyAudienceProfile } from '../../../audiences/audience-state.js';
import type { PreviewResult } from '../../../audiences/audience-store.js';
import { groupByContact } from '../../../audiences/backfill-count.js';
import type { CountedEvent } from '../../../audiences/event-metric.js';
import { eventNamesOf } from '../../../audiences/naive-membership.js';
import { matchesPreview } from '../../../audiences/preview-match.js';
import { readAudienceContacts } from './postgres-audience-rows.js';

/** Contacts a preview evaluates per read. */
const previewSlice = 100;

/**
 * Evaluates a rule over every live contact from its stored events, saving nothing (AudienceStore
 * preview), a slice of contacts per read, without locks: what it reads is as committed.
 */
export async function previewRule(
  client: pg.PoolClient,
  set: AudienceSet,
  rule: Rule,
  at: number,
): Promise<PreviewResult> {
  const names = eventNamesOf(rule);
  let after = 0;
  let size = 0;
  const sample: number[] = [];
  for (;;) {
    const ids = (
      await client.query<{ id: number }>(
        'SELECT id FROM profiles WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2',
        [after, previewSlice],
      )
    ).rows.map((row) => row.id);
    const read = await readAudienceContacts(client, ids, { lock: false });
    const events = await eventsOf(client, read.live, names);
    for (const profileId of read.live) {
      const contact = read.contacts.snapshot(profileId);
      if (!contact) continue;
      const record = read.records.get(profileId) ?? emptyAudienceProfile;
      if (matchesPreview(rule, set, contact, record, events.get(profileId) ?? [], at)) {
        size += 1;
        if (sample.length < 10) sample.push(profileId);
      }
    }
    if (ids.length < previewSlice) break;
    after = ids[ids.length - 1] as number;
  }
  return { size, sample };
}

/** The track events with these names of these live profiles and of those merged into them, by live profile. */
async function eventsOf(
  client: pg.PoolClient,
  profileIds: readonly number[],
  names: readonly string[],
): Promise<Map<number, CountedEvent[]>> {
  if (profileIds.length === 0 || names.length === 0) return new Map();
  const { rows } = await client.query<{ live_id: number; event: string; timestamp: number; body: string }>(
    `SELECT coalesce(profile.merged_into, profile.id) AS live_id, event.event, event.timestamp, event.body
     FROM events AS event JOIN profiles AS profile ON profile.id = event.profile_id
     WHERE (profile.id = ANY ($1::bigint[]) OR profile.merged_into = ANY ($1::bigint[]))
       AND event.type = 'track' AND event.event = ANY ($2::text[])`,
    [profileIds, names],
  );
  return groupByContact(rows);
}
