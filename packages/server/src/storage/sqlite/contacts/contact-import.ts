import type { ChangeSink } from '../../../changes/change.js';
import type { ProfileState } from '../../../contacts/contact-edit.js';
import type { ContactImports } from '../../../contacts/contact-store.js';
import { newContactId } from '../../../identity/contact-id.js';
import { type ImportTarget, importRow } from '../../../imports/import-row-rule.js';
import type { PrivacyLookup } from '../../../ingest/pipeline.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';
import { prepareProfileStatements } from './contact-writes.js';

/**
 * Imported rows, a slice per transaction, each as imports/import-row-rule.ts says, over the database
 * itself: every read sees the rows before it.
 */
export function createContactImports(
  db: SqliteDatabase,
  now: () => number,
  changes: ChangeSink,
  privacy: PrivacyLookup,
): Synchronous<ContactImports> {
  const countByType = db.prepare<[number], { type: string; n: number }>(
    'SELECT type, count(*) AS n FROM identifiers WHERE profile_id = ? GROUP BY type',
  );
  const { selectOwner, selectState, insertProfile, insertIdentifier } = prepareProfileStatements(db);
  const countIdentifier = db.prepare<[number]>(
    'UPDATE profiles SET identifier_count = identifier_count + 1 WHERE id = ?',
  );
  const updateProfile = db.prepare(
    `UPDATE profiles SET traits = @traits, trait_stamps = @stamps, lifecycle_stage = @stage, owner = @owner,
       tags = @tags, updated_at = @now WHERE id = @id`,
  );
  const target: ImportTarget = {
    ownerOf: (type, value) => selectOwner.get(type, value),
    countsOf: (profileId) => new Map(countByType.all(profileId).map((entry) => [entry.type, entry.n])),
    stateOf: (profileId) => selectState.get(profileId) as ProfileState,
    createProfile: (at) => Number(insertProfile.run(newContactId(at), at, at, at, at, 0).lastInsertRowid),
    addIdentifier(type, value, profileId, at) {
      insertIdentifier.run(type, value, profileId, at);
      countIdentifier.run(profileId);
    },
    saveProfile(profileId, saved, at) {
      updateProfile.run({
        id: profileId,
        traits: saved.traits,
        stamps: saved.stamps,
        stage: saved.lifecycleStage,
        owner: saved.owner,
        tags: saved.tags,
        now: at,
      });
    },
  };

  return {
    importRows: db.transaction((rows: Parameters<ContactImports['importRows']>[0], options) =>
      rows.map((row) => importRow(target, row, options, { privacy, changes, at: now() })),
    ),
  };
}
