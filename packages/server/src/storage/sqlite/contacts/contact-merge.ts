import type { ChangeSink } from '../../../changes/change.js';
import { type CrmRow, mergedFieldsChange, planCrmMerge } from '../../../contacts/contact-edit.js';
import type { ContactMerge, MergeOutcome } from '../../../contacts/contact-store.js';
import { manualMessageId } from '../../../contacts/manual-edits.js';
import type { IdentityRules } from '../../../identity/identity-rules.js';
import { createRecordingIdentityStore } from '../../../identity/recording-identity-store.js';
import { absorbInto, fitsMergeCaps } from '../../../identity/resolve-identity.js';
import type { SqliteDatabase } from '../open-database.js';
import { createSqliteIdentityStore } from '../sqlite-identity-store.js';
import type { Synchronous } from '../synchronous.js';

/**
 * A merge an admin forces. It goes through identity's one merge (absorbInto): identifiers,
 * companies and counts move to the primary, traits merge newest-wins, the secondary's id points at
 * the primary for good, and the merge is recorded like one an event made, under the messageId
 * `manual:<n>` of the edit that records who asked (manual_edits). The primary keeps its CRM fields;
 * those it lacks come from the secondary, and the tags are the union of both.
 */
export function createContactMerge(
  db: SqliteDatabase,
  rules: IdentityRules,
  now: () => number,
  changes: ChangeSink,
): Synchronous<ContactMerge> {
  const store = createRecordingIdentityStore(createSqliteIdentityStore(db, now), changes);
  const recordEdit = db.prepare<[number, number, string]>(
    'INSERT INTO manual_edits (profile_id, edited_at, changes) VALUES (?, ?, ?)',
  );
  const selectCrm = db.prepare<[number], CrmRow>('SELECT lifecycle_stage, owner, tags FROM profiles WHERE id = ?');
  const updateCrm = db.prepare<[string | null, string | null, string, number]>(
    'UPDATE profiles SET lifecycle_stage = ?, owner = ?, tags = ? WHERE id = ?',
  );

  const countLive = db
    .prepare<[number, number], number>('SELECT count(*) FROM profiles WHERE id IN (?, ?) AND merged_into IS NULL')
    .pluck();

  const mergeBoth = db.transaction((primaryId: number, secondaryId: number): MergeOutcome => {
    // Looked up before this transaction: another request may have merged or erased one since.
    if (countLive.get(primaryId, secondaryId) !== 2) return 'changed';
    const survivor = store.getProfile(primaryId);
    const absorbed = store.getProfile(secondaryId);
    if (!fitsMergeCaps(rules, survivor, absorbed)) return 'over_caps';
    const at = now();
    const editId = Number(
      recordEdit.run(primaryId, at, JSON.stringify({ merged: absorbed.contactId })).lastInsertRowid,
    );
    const primaryCrm = selectCrm.get(primaryId);
    const secondaryCrm = selectCrm.get(secondaryId);
    absorbInto(store, survivor, absorbed, { messageId: manualMessageId(editId), at });
    store.saveProfile(survivor);
    store.flush();
    if (primaryCrm && secondaryCrm) {
      const crm = planCrmMerge(primaryCrm, secondaryCrm);
      updateCrm.run(crm.lifecycleStage, crm.owner, crm.tags, primaryId);
      const change = mergedFieldsChange(primaryId, survivor.contactId, crm.changed);
      if (change) changes.record(change);
    }
    return 'merged';
  });

  return { merge: (primaryId, secondaryId) => mergeBoth(primaryId, secondaryId) };
}
