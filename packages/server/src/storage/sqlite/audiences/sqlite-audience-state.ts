import type { AudienceState, Membership } from '../../../audiences/audience-state.js';
import type { ContactSnapshot } from '../../../audiences/contact-values.js';
import type { HourCounts } from '../../../audiences/hour-buckets.js';
import type { SqliteDatabase } from '../open-database.js';

interface ContactRow {
  id: number;
  public_id: string;
  traits: string;
  contact_email: string;
  contact_name: string;
  lifecycle_stage: string | null;
  owner: string | null;
  tags: string;
  first_seen_at: number;
  last_seen_at: number;
  event_count: number;
  created_at: number;
}

/** AudienceState on the tables of migration 020, inside whatever transaction is open. */
export function createSqliteAudienceState(db: SqliteDatabase): AudienceState {
  const selectContact = db.prepare<[number], ContactRow>(
    `SELECT id, public_id, traits, contact_email, contact_name, lifecycle_stage, owner, tags, first_seen_at,
       last_seen_at, event_count, created_at
     FROM profiles WHERE id = ? AND merged_into IS NULL`,
  );
  const selectHours = db.prepare<{ profile: number; keys: string }, { metric: string; hours: string }>(
    `SELECT metric, hours FROM audience_hours
     WHERE profile_id IN (SELECT @profile UNION ALL SELECT id FROM profiles WHERE merged_into = @profile)
       AND metric IN (SELECT value FROM json_each(@keys))`,
  );
  const selectOwnHours = db
    .prepare<[number, string], string>('SELECT hours FROM audience_hours WHERE profile_id = ? AND metric = ?')
    .pluck();
  const upsertHours = db.prepare<[number, string, string]>(
    `INSERT INTO audience_hours (profile_id, metric, hours) VALUES (?, ?, ?)
     ON CONFLICT (profile_id, metric) DO UPDATE SET hours = excluded.hours`,
  );
  const selectMemberships = db.prepare<[number], { audience_id: string; entered_at: number; is_backfill: number }>(
    'SELECT audience_id, entered_at, is_backfill FROM audience_members WHERE profile_id = ?',
  );
  const insertMember = db.prepare<[string, number, number, number]>(
    'INSERT OR IGNORE INTO audience_members (audience_id, profile_id, entered_at, is_backfill) VALUES (?, ?, ?, ?)',
  );
  const deleteMember = db.prepare<[string, number]>(
    'DELETE FROM audience_members WHERE audience_id = ? AND profile_id = ?',
  );
  const selectDue = db.prepare<[number], number>('SELECT due_at FROM audience_due WHERE profile_id = ?').pluck();
  const upsertDue = db.prepare<[number, number]>(
    'INSERT INTO audience_due (profile_id, due_at) VALUES (?, ?) ON CONFLICT (profile_id) DO UPDATE SET due_at = excluded.due_at',
  );
  const deleteDue = db.prepare<[number]>('DELETE FROM audience_due WHERE profile_id = ?');
  const selectAbsorbed = db.prepare<[number], { profile_id: number; public_id: string; audience_id: string }>(
    `SELECT member.profile_id, profile.public_id, member.audience_id
     FROM profiles AS profile JOIN audience_members AS member ON member.profile_id = profile.id
     WHERE profile.merged_into = ?`,
  );
  const selectDueProfiles = db
    .prepare<[number, number], number>('SELECT profile_id FROM audience_due WHERE due_at <= ? ORDER BY due_at LIMIT ?')
    .pluck();

  return {
    readContact(profileId) {
      const row = selectContact.get(profileId);
      return row ? toSnapshot(row) : undefined;
    },
    readHours(profileId, metricKeys) {
      const found = new Map<string, HourCounts[]>();
      for (const row of selectHours.all({ profile: profileId, keys: JSON.stringify(metricKeys) })) {
        const list = found.get(row.metric) ?? [];
        list.push(JSON.parse(row.hours) as HourCounts);
        found.set(row.metric, list);
      }
      return found;
    },
    readOwnHours(profileId, metricKey) {
      const json = selectOwnHours.get(profileId, metricKey);
      return json === undefined ? [] : (JSON.parse(json) as HourCounts);
    },
    writeOwnHours(profileId, metricKey, counts) {
      upsertHours.run(profileId, metricKey, JSON.stringify(counts));
    },
    memberships(profileId) {
      const found = new Map<string, Membership>();
      for (const row of selectMemberships.all(profileId)) {
        found.set(row.audience_id, {
          audienceId: row.audience_id,
          enteredAt: row.entered_at,
          isBackfill: row.is_backfill === 1,
        });
      }
      return found;
    },
    enter(audienceId, profileId, at, isBackfill) {
      insertMember.run(audienceId, profileId, at, isBackfill ? 1 : 0);
    },
    exit(audienceId, profileId) {
      deleteMember.run(audienceId, profileId);
    },
    dueAt: (profileId) => selectDue.get(profileId) ?? null,
    setDue(profileId, at) {
      if (at === null) deleteDue.run(profileId);
      else upsertDue.run(profileId, at);
    },
    leaveAbsorbed(profileId) {
      const rows = selectAbsorbed.all(profileId);
      for (const row of rows) {
        deleteMember.run(row.audience_id, row.profile_id);
        deleteDue.run(row.profile_id);
      }
      return rows.map((row) => ({ profileId: row.profile_id, contactId: row.public_id, audienceId: row.audience_id }));
    },
    dueProfiles: (now, limit) => selectDueProfiles.all(now, limit),
  };
}

function toSnapshot(row: ContactRow): ContactSnapshot {
  return {
    profileId: row.id,
    contactId: row.public_id,
    traits: JSON.parse(row.traits) as Record<string, unknown>,
    fields: {
      email: row.contact_email === '' ? null : row.contact_email,
      name: row.contact_name === '' ? null : row.contact_name,
      lifecycleStage: row.lifecycle_stage,
      owner: row.owner,
      tags: JSON.parse(row.tags) as unknown,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      eventCount: row.event_count,
      createdAt: row.created_at,
    },
  };
}
