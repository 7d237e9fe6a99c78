import { newContactId } from '../../identity/contact-id.js';
import { type IdentityStore, newProfileRecord } from '../../identity/identity-store.js';
import { mergeStamped, readStamped, writeStamped } from '../../identity/stamped-values.js';
import { type ProfileRecordRow, profileRecordColumns, toProfileRecord } from '../profile-row.js';
import { contactEmailSql, contactNameSql } from './contact-keys.js';
import type { SqliteDatabase } from './open-database.js';

/** The identity graph in the tables of migration 004. Statements are prepared once. */
export function createSqliteIdentityStore(db: SqliteDatabase, now: () => number = Date.now): IdentityStore {
  const selectOwner = db.prepare('SELECT profile_id FROM identifiers WHERE type = ? AND value = ?').pluck();
  const selectProfile = db.prepare(`SELECT ${profileRecordColumns} FROM profiles WHERE id = ?`);
  const countByType = db.prepare('SELECT type, count(*) AS n FROM identifiers WHERE profile_id = ? GROUP BY type');
  const insertProfile = db.prepare(
    `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertIdentifier = db.prepare(
    'INSERT INTO identifiers (type, value, profile_id, first_seen_at) VALUES (?, ?, ?, ?)',
  );
  // Most events leave the traits as they were: then neither they nor the contact keys are written,
  // since an UPDATE that sets a column rewrites every index holding it, even to an equal value.
  const updateActivity = db.prepare(
    `UPDATE profiles SET first_seen_at = @firstSeenAt, last_seen_at = @lastSeenAt, event_count = @eventCount,
       merge_count = @mergeCount, identifier_count = @identifierCount, trait_stamps = @traitStamps,
       updated_at = @updatedAt
     WHERE id = @id AND traits = @traits`,
  );
  // Traits changed: the contact keys are written with them (contact-keys.ts), once.
  const updateProfile = db.prepare(
    `UPDATE profiles SET first_seen_at = @firstSeenAt, last_seen_at = @lastSeenAt, event_count = @eventCount,
       merge_count = @mergeCount, identifier_count = @identifierCount, traits = @traits,
       trait_stamps = @traitStamps, updated_at = @updatedAt,
       contact_email = ${contactEmailSql('@traits', '@id')}, contact_name = ${contactNameSql('@traits')}
     WHERE id = @id`,
  );
  const moveIdentifiers = db.prepare('UPDATE identifiers SET profile_id = ? WHERE profile_id = ?');
  const copyCompanyLinks = db.prepare(
    'INSERT OR IGNORE INTO profile_companies (profile_id, company_id) SELECT ?, company_id FROM profile_companies WHERE profile_id = ?',
  );
  const dropCompanyLinks = db.prepare('DELETE FROM profile_companies WHERE profile_id = ?');
  // Every profile that led to the absorbed one now leads straight to the survivor.
  const pointAtSurvivor = db.prepare('UPDATE profiles SET merged_into = ? WHERE id = ? OR merged_into = ?');
  const insertMerge = db.prepare(
    'INSERT INTO merges (survivor_id, absorbed_id, message_id, merged_at) VALUES (?, ?, ?, ?)',
  );
  const selectCompany = db.prepare('SELECT id, traits, trait_stamps FROM companies WHERE group_id = ?');
  const insertCompany = db.prepare(
    `INSERT INTO companies (group_id, traits, trait_stamps, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const updateCompany = db.prepare(
    `UPDATE companies SET traits = ?, trait_stamps = ?, first_seen_at = min(first_seen_at, ?),
       last_seen_at = max(last_seen_at, ?) WHERE id = ?`,
  );
  const linkProfileCompany = db.prepare(
    'INSERT OR IGNORE INTO profile_companies (profile_id, company_id) VALUES (?, ?)',
  );

  return {
    findProfileId: (identifier) => selectOwner.get(identifier.type, identifier.value) as number | undefined,
    getProfile(id) {
      const row = selectProfile.get(id) as ProfileRecordRow | undefined;
      if (!row) throw new Error(`no profile ${id}`);
      return toProfileRecord(row);
    },
    countIdentifiers(profileId) {
      const rows = countByType.all(profileId) as { type: string; n: number }[];
      return new Map(rows.map((row) => [row.type, row.n]));
    },
    createProfile(seenAt) {
      const at = now();
      const contactId = newContactId(at);
      const id = Number(insertProfile.run(contactId, seenAt, seenAt, at, at).lastInsertRowid);
      return newProfileRecord(id, contactId, seenAt);
    },
    addIdentifier(profileId, identifier, seenAt) {
      insertIdentifier.run(identifier.type, identifier.value, profileId, seenAt);
    },
    saveProfile(profile) {
      const { values, stamps } = writeStamped(profile.traits);
      const row = { ...profile, traits: values, traitStamps: stamps, updatedAt: now() };
      if (updateActivity.run(row).changes === 0) updateProfile.run(row);
    },
    absorbProfile(survivorId, absorbedId) {
      moveIdentifiers.run(survivorId, absorbedId);
      copyCompanyLinks.run(survivorId, absorbedId);
      dropCompanyLinks.run(absorbedId);
      pointAtSurvivor.run(survivorId, absorbedId, absorbedId);
    },
    recordMerge(merge) {
      insertMerge.run(merge.survivorId, merge.absorbedId, merge.messageId, merge.at);
    },
    linkCompany(profileId, groupId, traits, seenAt) {
      const existing = selectCompany.get(groupId) as { id: number; traits: string; trait_stamps: string } | undefined;
      const written = writeStamped(
        existing ? mergeStamped(readStamped(existing.traits, existing.trait_stamps), traits) : traits,
      );
      let companyId: number;
      if (existing) {
        updateCompany.run(written.values, written.stamps, seenAt, seenAt, existing.id);
        companyId = existing.id;
      } else {
        companyId = Number(insertCompany.run(groupId, written.values, written.stamps, seenAt, seenAt).lastInsertRowid);
      }
      const isNewLink = linkProfileCompany.run(profileId, companyId).changes === 1;
      return {
        isNewCompany: existing === undefined,
        isNewLink,
        traitsBefore: existing ? (JSON.parse(existing.traits) as Record<string, unknown>) : {},
        traitsAfter: JSON.parse(written.values) as Record<string, unknown>,
      };
    },
  };
}
