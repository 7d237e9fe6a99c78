import { type AudienceState, emptyAudienceProfile } from '../../../audiences/audience-state.js';
import { type AudienceRecordRow, type SnapshotRow, toAudienceProfile, toContactSnapshot } from '../../audience-rows.js';
import type { SqliteDatabase } from '../open-database.js';

type ContactRow = SnapshotRow & { [column in keyof AudienceRecordRow]: AudienceRecordRow[column] | null };

/** AudienceState on the tables of migrations 020 and 021, inside whatever transaction is open. */
export function createSqliteAudienceState(db: SqliteDatabase): AudienceState {
  const selectContact = db.prepare<[number], ContactRow>(
    `SELECT p.id, p.public_id, p.traits, p.contact_email, p.contact_name, p.lifecycle_stage, p.owner, p.tags,
       p.first_seen_at, p.last_seen_at, p.event_count, p.created_at, a.hours, a.members, a.computed, a.due_at, a.seen_at
     FROM profiles AS p LEFT JOIN audience_profiles AS a ON a.profile_id = p.id
     WHERE p.id = ? AND p.merged_into IS NULL`,
  );
  const selectProfile = db.prepare<[number], AudienceRecordRow>(
    'SELECT hours, members, computed, due_at, seen_at FROM audience_profiles WHERE profile_id = ?',
  );
  const upsertProfile = db.prepare<[number, string, string, string, number | null, number | null]>(
    `INSERT INTO audience_profiles (profile_id, hours, members, computed, due_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile_id) DO UPDATE SET hours = excluded.hours, members = excluded.members,
       computed = excluded.computed, due_at = excluded.due_at, seen_at = excluded.seen_at`,
  );
  const insertMember = db.prepare<[string, number, number, number]>(
    'INSERT OR IGNORE INTO audience_members (audience_id, profile_id, entered_at, is_backfill) VALUES (?, ?, ?, ?)',
  );
  const deleteMember = db.prepare<[string, number]>(
    'DELETE FROM audience_members WHERE audience_id = ? AND profile_id = ?',
  );
  const selectAbsorbed = db.prepare<[number], AudienceRecordRow & { profile_id: number; public_id: string }>(
    `SELECT a.profile_id, p.public_id, a.hours, a.members, a.computed, a.due_at, a.seen_at
     FROM profiles AS p JOIN audience_profiles AS a ON a.profile_id = p.id WHERE p.merged_into = ?`,
  );
  const deleteProfile = db.prepare<[number]>('DELETE FROM audience_profiles WHERE profile_id = ?');
  const deleteMembersOf = db.prepare<[number]>('DELETE FROM audience_members WHERE profile_id = ?');
  const selectDue = db
    .prepare<[number, number], number>(
      'SELECT profile_id FROM audience_profiles WHERE due_at <= ? ORDER BY due_at LIMIT ?',
    )
    .pluck();

  const selectNextDue = db
    .prepare<[], number | null>('SELECT min(due_at) FROM audience_profiles WHERE due_at IS NOT NULL')
    .pluck();

  return {
    read(profileId) {
      const row = selectContact.get(profileId);
      if (!row) return undefined;
      const profile = row.hours === null ? emptyAudienceProfile : toAudienceProfile(row as AudienceRecordRow);
      return { contact: toContactSnapshot(row), profile };
    },
    readProfile(profileId) {
      const row = selectProfile.get(profileId);
      return row ? toAudienceProfile(row) : emptyAudienceProfile;
    },
    write(profileId, profile) {
      upsertProfile.run(
        profileId,
        JSON.stringify(profile.hours),
        JSON.stringify(profile.members),
        JSON.stringify(profile.computed),
        profile.dueAt,
        profile.seenAt,
      );
    },
    enter(audienceId, profileId, at, isBackfill) {
      insertMember.run(audienceId, profileId, at, isBackfill ? 1 : 0);
    },
    exit(audienceId, profileId) {
      deleteMember.run(audienceId, profileId);
    },
    takeAbsorbed(profileId) {
      const rows = selectAbsorbed.all(profileId);
      for (const row of rows) {
        deleteProfile.run(row.profile_id);
        deleteMembersOf.run(row.profile_id);
      }
      return rows.map((row) => ({
        profileId: row.profile_id,
        contactId: row.public_id,
        profile: toAudienceProfile(row),
      }));
    },
    dueProfiles: (now, limit) => selectDue.all(now, limit),
    nextDueAt: () => selectNextDue.get() ?? null,
  };
}
