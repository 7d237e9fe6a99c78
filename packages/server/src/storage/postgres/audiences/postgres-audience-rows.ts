import type pg from 'pg';
import type { AudienceProfile } from '../../../audiences/audience-state.js';
import type { ContactSnapshot } from '../../../audiences/contact-values.js';
import { type SnapshotRow, snapshotColumns, toAudienceProfile, toContactSnapshot } from '../../audience-rows.js';
import type { AudienceReadAhead, AudienceWrites, ContactSource, LeftoverRecord } from './audience-working-set.js';
import type { ContactExtras } from './ingest-contacts.js';

type RecordColumns = [hours: string, members: string, computed: string, dueAt: number | null, seenAt: number | null];

const recordJson = (alias: string) =>
  `${alias}.hours, ${alias}.members, ${alias}.computed, ${alias}.due_at, ${alias}.seen_at`;

// The records of the profiles, and those left on profiles merged into them.
const recordsSql = `(SELECT coalesce(json_agg(json_build_array(a.profile_id, ${recordJson('a')})), '[]')
     FROM audience_profiles AS a WHERE a.profile_id = ANY ($1::bigint[])) AS records,
  (SELECT coalesce(json_agg(json_build_array(a.profile_id, p.public_id, p.merged_into, ${recordJson('a')})), '[]')
     FROM profiles AS p JOIN audience_profiles AS a ON a.profile_id = p.id
     WHERE p.merged_into = ANY ($1::bigint[])) AS leftovers`;

interface RecordsRead {
  readonly records: [number, ...RecordColumns][];
  readonly leftovers: [number, string, number, ...RecordColumns][];
}

function toAhead(read: RecordsRead): AudienceReadAhead {
  const records = new Map<number, AudienceProfile>();
  for (const [profileId, ...columns] of read.records) records.set(profileId, toRecord(columns));
  const leftovers: LeftoverRecord[] = read.leftovers.map(([profileId, contactId, mergedInto, ...columns]) => ({
    profileId,
    contactId,
    mergedInto,
    profile: toRecord(columns),
  }));
  return { records, leftovers };
}

function toRecord([hours, members, computed, due_at, seen_at]: RecordColumns): AudienceProfile {
  return toAudienceProfile({ hours, members, computed, due_at, seen_at });
}

/**
 * What ingest's audience evaluation reads of the profiles it read ahead (already locked by it):
 * their records and leftovers, and the contact fields identity does not keep.
 */
export async function readIngestAudiences(
  client: pg.PoolClient,
  profileIds: readonly number[],
): Promise<AudienceReadAhead & { readonly extras: Map<number, ContactExtras> }> {
  const extras = new Map<number, ContactExtras>();
  if (profileIds.length === 0) return { records: new Map(), leftovers: [], extras };
  const { rows } = await client.query<
    RecordsRead & {
      contacts: [number, string | null, string | null, string, number][];
      emails: [number, string, number][];
    }
  >(
    `SELECT ${recordsSql},
       (SELECT coalesce(json_agg(json_build_array(id, lifecycle_stage, owner, tags, created_at)), '[]')
          FROM profiles WHERE id = ANY ($1::bigint[])) AS contacts,
       (SELECT coalesce(json_agg(json_build_array(profile_id, value, first_seen_at)), '[]') FROM
          (SELECT DISTINCT ON (profile_id) profile_id, value, first_seen_at FROM identifiers
           WHERE profile_id = ANY ($1::bigint[]) AND type = 'email'
           ORDER BY profile_id, first_seen_at, value COLLATE "C") AS earliest) AS emails`,
    [profileIds],
  );
  const read = rows[0] as RecordsRead & {
    contacts: [number, string | null, string | null, string, number][];
    emails: [number, string, number][];
  };
  const emails = new Map(read.emails.map(([profileId, value, firstSeenAt]) => [profileId, { value, firstSeenAt }]));
  for (const [id, lifecycleStage, owner, tags, createdAt] of read.contacts) {
    extras.set(id, {
      lifecycleStage,
      owner,
      tags: JSON.parse(tags) as unknown,
      createdAt,
      earliestEmail: emails.get(id) ?? null,
    });
  }
  return { ...toAhead(read), extras };
}

/**
 * Locks the profiles' rows (by id, as ingest and edits do; not for a read that writes nothing) and
 * reads what evaluating them needs: the contacts as their rows hold them, their records and
 * leftovers. A profile merged away or erased is left out; the contacts answer undefined for it.
 */
export async function readAudienceContacts(
  client: pg.PoolClient,
  profileIds: readonly number[],
  options: { readonly lock: boolean },
): Promise<AudienceReadAhead & { readonly contacts: ContactSource; readonly live: readonly number[] }> {
  const sorted = [...new Set(profileIds)].sort((a, b) => a - b);
  const snapshots = new Map<number, ContactSnapshot>();
  if (sorted.length === 0) {
    return { records: new Map(), leftovers: [], contacts: rowContacts(snapshots), live: [] };
  }
  const locked = await client.query<SnapshotRow>(
    `SELECT ${snapshotColumns} FROM profiles
     WHERE id = ANY ($1::bigint[]) AND merged_into IS NULL ORDER BY id ${options.lock ? 'FOR UPDATE' : ''}`,
    [sorted],
  );
  for (const row of locked.rows) snapshots.set(row.id, toContactSnapshot(row));
  const live = [...snapshots.keys()];
  // A statement of its own: it sees what was committed before the row locks were granted.
  const { rows } = await client.query<RecordsRead>(`SELECT ${recordsSql}`, [live]);
  return { ...toAhead(rows[0] as RecordsRead), contacts: rowContacts(snapshots), live };
}

function rowContacts(snapshots: ReadonlyMap<number, ContactSnapshot>): ContactSource {
  return {
    snapshot: (profileId) => snapshots.get(profileId),
    survivorOf: () => undefined,
    contactIdOf(profileId) {
      const found = snapshots.get(profileId);
      if (!found) throw new Error(`profile ${profileId} was not read`);
      return found.contactId;
    },
  };
}

/** Saves what evaluation wrote, in one statement; nothing when it wrote nothing. */
export async function writeAudiences(client: pg.PoolClient, writes: AudienceWrites): Promise<void> {
  if (writes.records.size + writes.removed.size + writes.entered.size + writes.exited.size === 0) return;
  const records = [...writes.records].map(([profileId, record]) => ({
    profile_id: profileId,
    hours: JSON.stringify(record.hours),
    members: JSON.stringify(record.members),
    computed: JSON.stringify(record.computed),
    due_at: record.dueAt,
    seen_at: record.seenAt,
  }));
  // Disjoint by construction (audience-working-set.ts): no row is touched by two parts.
  const exited = [...writes.exited.values()].filter((entry) => !writes.removed.has(entry.profileId));
  const entered = [...writes.entered.values()].map((entry) => ({
    audience_id: entry.audienceId,
    profile_id: entry.profileId,
    entered_at: entry.at,
    is_backfill: entry.isBackfill,
  }));
  await client.query(
    `WITH
       removed_records AS (DELETE FROM audience_profiles WHERE profile_id = ANY ($1::bigint[])),
       removed_members AS (DELETE FROM audience_members WHERE profile_id = ANY ($1::bigint[])),
       exited AS (
         DELETE FROM audience_members AS m USING json_to_recordset($3::json) AS r (audience_id text, profile_id bigint)
         WHERE m.audience_id = r.audience_id AND m.profile_id = r.profile_id),
       entered AS (
         INSERT INTO audience_members (audience_id, profile_id, entered_at, is_backfill)
         SELECT audience_id, profile_id, entered_at, is_backfill
         FROM json_to_recordset($4::json) AS r (audience_id text, profile_id bigint, entered_at bigint, is_backfill boolean)
         ON CONFLICT DO NOTHING)
     INSERT INTO audience_profiles (profile_id, hours, members, computed, due_at, seen_at)
     SELECT profile_id, hours, members, computed, due_at, seen_at
     FROM json_to_recordset($2::json) AS r (profile_id bigint, hours text, members text, computed text,
       due_at bigint, seen_at bigint)
     ON CONFLICT (profile_id) DO UPDATE SET hours = excluded.hours, members = excluded.members,
       computed = excluded.computed, due_at = excluded.due_at, seen_at = excluded.seen_at`,
    [
      [...writes.removed],
      JSON.stringify(records),
      JSON.stringify(exited.map((entry) => ({ audience_id: entry.audienceId, profile_id: entry.profileId }))),
      JSON.stringify(entered),
    ],
  );
}
