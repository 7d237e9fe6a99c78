import type pg from 'pg';
import { writeStamped } from '../../../identity/stamped-values.js';
import type { NewEvent } from '../../event-store.js';
import type { IdentityWrites } from './identity-working-set.js';

/** An event row as the batch writes it. */
export interface EventRow {
  readonly event: NewEvent;
  readonly profileId: number | null;
}

/**
 * Saves a batch: one statement for every new and changed row (profiles, identifiers, companies,
 * links, merges, events), then one per merge, in the order they happened, moving what the database
 * holds of the absorbed profile to the survivor: its identifiers and links, the ones this batch
 * gave it included.
 */
export async function writeIngest(
  client: pg.PoolClient,
  writes: IdentityWrites,
  events: readonly EventRow[],
  updatedAt: number,
): Promise<void> {
  const profileRows = (isCreated: boolean) =>
    [...writes.saved.values()]
      .filter((profile) => writes.created.has(profile.id) === isCreated)
      .map((profile) => {
        const { values, stamps } = writeStamped(profile.traits);
        return {
          id: profile.id,
          public_id: profile.contactId,
          first_seen_at: profile.firstSeenAt,
          last_seen_at: profile.lastSeenAt,
          event_count: profile.eventCount,
          merge_count: profile.mergeCount,
          identifier_count: profile.identifierCount,
          traits: values,
          trait_stamps: stamps,
          created_at: writes.created.get(profile.id) ?? updatedAt,
          updated_at: updatedAt,
        };
      });
  const companies = [...writes.companies.values()].map((company) => {
    const { values, stamps } = writeStamped(company.traits);
    return {
      id: company.id,
      group_id: company.groupId,
      is_new: company.isNew,
      traits: values,
      trait_stamps: stamps,
      first_seen_at: company.firstSeenAt,
      last_seen_at: company.lastSeenAt,
    };
  });
  await client.query(saveSql, [
    JSON.stringify(profileRows(true)),
    JSON.stringify(profileRows(false)),
    JSON.stringify(companies),
    JSON.stringify(
      [...writes.added.values()].map((entry) => ({
        type: entry.identifier.type,
        value: entry.identifier.value,
        profile_id: entry.profileId,
        first_seen_at: entry.seenAt,
      })),
    ),
    JSON.stringify(
      [...writes.links.values()].map(([profileId, companyId]) => ({ profile_id: profileId, company_id: companyId })),
    ),
    JSON.stringify(
      writes.merges.map((merge) => ({
        survivor_id: merge.survivorId,
        absorbed_id: merge.absorbedId,
        message_id: merge.messageId,
        merged_at: merge.at,
      })),
    ),
    JSON.stringify(events.map(({ event, profileId }) => eventColumns(event, profileId))),
  ]);
  for (const { survivorId, absorbedId } of writes.absorbs) await client.query(absorbSql, [survivorId, absorbedId]);
}

/** An event's row as the events table's columns name it (a benchmark's ceiling writes the same). */
export function eventColumns(event: NewEvent, profileId: number | null) {
  return {
    source: event.source,
    type: event.type,
    message_id: event.messageId,
    user_id: event.userId,
    anonymous_id: event.anonymousId,
    event: event.event,
    timestamp: event.timestamp,
    received_at: event.receivedAt,
    body: event.body,
    profile_id: profileId,
  };
}

const profileColumns = `id bigint, public_id text, first_seen_at bigint, last_seen_at bigint, event_count bigint,
  merge_count bigint, identifier_count bigint, traits text, trait_stamps text, created_at bigint, updated_at bigint`;
const companyColumns =
  'id bigint, group_id text, is_new boolean, traits text, trait_stamps text, first_seen_at bigint, last_seen_at bigint';

// Every part touches rows no other part does; foreign keys are checked at the statement's end.
const saveSql = `WITH
  created AS (
    INSERT INTO profiles (id, public_id, first_seen_at, last_seen_at, event_count, merge_count, identifier_count,
      traits, trait_stamps, created_at, updated_at)
    SELECT id, public_id, first_seen_at, last_seen_at, event_count, merge_count, identifier_count, traits,
      trait_stamps, created_at, updated_at
    FROM json_to_recordset($1::json) AS r (${profileColumns})),
  updated AS (
    UPDATE profiles AS p SET first_seen_at = r.first_seen_at, last_seen_at = r.last_seen_at,
      event_count = r.event_count, merge_count = r.merge_count, identifier_count = r.identifier_count,
      traits = r.traits, trait_stamps = r.trait_stamps, updated_at = r.updated_at
    FROM json_to_recordset($2::json) AS r (${profileColumns}) WHERE p.id = r.id),
  new_companies AS (
    INSERT INTO companies (id, group_id, traits, trait_stamps, first_seen_at, last_seen_at)
    SELECT id, group_id, traits, trait_stamps, first_seen_at, last_seen_at
    FROM json_to_recordset($3::json) AS r (${companyColumns}) WHERE r.is_new),
  seen_companies AS (
    UPDATE companies AS c SET traits = r.traits, trait_stamps = r.trait_stamps,
      first_seen_at = least(c.first_seen_at, r.first_seen_at), last_seen_at = greatest(c.last_seen_at, r.last_seen_at)
    FROM json_to_recordset($3::json) AS r (${companyColumns}) WHERE c.id = r.id AND NOT r.is_new),
  new_identifiers AS (
    INSERT INTO identifiers (type, value, profile_id, first_seen_at)
    SELECT type, value, profile_id, first_seen_at
    FROM json_to_recordset($4::json) AS r (type text, value text, profile_id bigint, first_seen_at bigint)),
  new_links AS (
    INSERT INTO profile_companies (profile_id, company_id)
    SELECT profile_id, company_id FROM json_to_recordset($5::json) AS r (profile_id bigint, company_id bigint)
    ON CONFLICT DO NOTHING),
  new_merges AS (
    INSERT INTO merges (survivor_id, absorbed_id, message_id, merged_at)
    SELECT survivor_id, absorbed_id, message_id, merged_at
    FROM json_to_recordset($6::json) AS r (survivor_id bigint, absorbed_id bigint, message_id text, merged_at bigint))
  INSERT INTO events (source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body, profile_id)
  SELECT source, type, message_id, user_id, anonymous_id, event, timestamp, received_at, body, profile_id
  FROM json_to_recordset($7::json) AS r (source text, type text, message_id text, user_id text, anonymous_id text,
    event text, timestamp bigint, received_at bigint, body text, profile_id bigint)`;

// A merge, as SQLite's identity store makes it: identifiers and links move, and every profile that
// led to the absorbed one now leads straight to the survivor.
const absorbSql = `WITH
  moved AS (UPDATE identifiers SET profile_id = $1 WHERE profile_id = $2),
  copied AS (
    INSERT INTO profile_companies (profile_id, company_id)
    SELECT $1, company_id FROM profile_companies WHERE profile_id = $2 ON CONFLICT DO NOTHING),
  dropped AS (DELETE FROM profile_companies WHERE profile_id = $2)
  UPDATE profiles SET merged_into = $1 WHERE id = $2 OR merged_into = $2`;
