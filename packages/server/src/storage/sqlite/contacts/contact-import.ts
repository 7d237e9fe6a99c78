import { type ChangeSink, valueChanges } from '../../../changes/change.js';
import type { ProfileState } from '../../../contacts/contact-edit.js';
import type { ContactImports, ImportOutcome } from '../../../contacts/contact-store.js';
import { newContactId } from '../../../identity/contact-id.js';
import { mergeStamped, readStamped, writeStamped } from '../../../identity/stamped-values.js';
import type { ImportRow } from '../../../imports/import-rows.js';
import { importMessageId, stampImport } from '../../../imports/import-stamps.js';
import type { PrivacyLookup } from '../../../ingest/pipeline.js';
import type { SqliteDatabase } from '../open-database.js';
import type { Synchronous } from '../synchronous.js';
import { prepareProfileStatements } from './contact-writes.js';

/**
 * Imported rows, a slice per transaction: each finds its contact by the import's key (email or
 * userId), or makes one, and writes its traits stamped with its own time (import-stamps.ts), so the
 * same newest-wins rule as events decides. Changes are recorded through the admin sink, so the
 * feed, the audiences and the webhooks see an import as they see any write.
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

  function importOne(row: ImportRow, options: Parameters<ContactImports['importRows']>[1]): ImportOutcome {
    const identifiers: [type: string, value: string][] = [];
    if (row.email !== undefined) identifiers.push(['email', row.email]);
    if (row.userId !== undefined) identifiers.push(['user_id', row.userId]);
    const keyType = options.key === 'email' ? 'email' : 'user_id';
    const keyValue = options.key === 'email' ? row.email : row.userId;
    const found = keyValue === undefined ? undefined : selectOwner.get(keyType, keyValue);
    for (const [type, value] of identifiers) {
      const owner = selectOwner.get(type, value);
      if (owner !== undefined && owner !== found) {
        const name = type === 'user_id' ? 'userId' : 'email';
        return { error: `${name}: ${value} belongs to another contact than the ${options.key} of this row names` };
      }
    }
    // As ingest's privacy gate: nothing for a suppressed identifier, nothing dated before an erasure.
    const { erasures, suppressions } = privacy.hasAny();
    for (const [type, value] of identifiers) {
      const name = type === 'user_id' ? 'userId' : 'email';
      if (suppressions && privacy.isSuppressed({ type, value })) return { error: `${name}: ${value} is suppressed` };
      const erasedAt = erasures ? privacy.erasedAt({ type, value }) : undefined;
      if (erasedAt !== undefined && row.at <= erasedAt) {
        return { error: `${name}: ${value} was erased after this row's date` };
      }
    }
    // The identity rules' limits, as the resolver keeps them: a userId (limit 1) is never added
    // beside another; with fillEmpty a contact that has an email keeps it alone.
    let candidates = identifiers.filter(([type, value]) => selectOwner.get(type, value) === undefined);
    if (found !== undefined) {
      const held = new Map(countByType.all(found).map((entry) => [entry.type, entry.n]));
      if (options.mode === 'fillEmpty') candidates = candidates.filter(([type]) => (held.get(type) ?? 0) === 0);
      let total = [...held.values()].reduce((sum, n) => sum + n, 0);
      for (const [type, value] of candidates) {
        const count = held.get(type) ?? 0;
        if (count + 1 > options.limitOf(type) || total + 1 > options.maxIdentifiers) {
          const name = type === 'user_id' ? 'userId' : 'email';
          return {
            error: `${name}: ${value} would pass this contact's limit of ${options.limitOf(type)} (identity rules)`,
          };
        }
        held.set(type, count + 1);
        total++;
      }
    }
    const at = now();
    let profileId = found;
    let isNew = false;
    if (profileId === undefined) {
      profileId = Number(insertProfile.run(newContactId(at), at, at, at, at, 0).lastInsertRowid);
      isNew = true;
    }
    const added = candidates;
    for (const [type, value] of added) {
      insertIdentifier.run(type, value, profileId, at);
      countIdentifier.run(profileId);
    }
    const before = selectState.get(profileId) as ProfileState;
    const current = readStamped(before.traits, before.trait_stamps);
    const traitsBefore = JSON.parse(before.traits) as Record<string, unknown>;
    const incoming = stampImport(
      row.traits,
      current,
      row.at,
      importMessageId(options.importId, row.line),
      options.mode,
    );
    const written = writeStamped(mergeStamped(current, incoming));
    const traitsAfter = JSON.parse(written.values) as Record<string, unknown>;
    const tagsBefore = JSON.parse(before.tags) as string[];
    // A field with no stamp: an upsert sets it, fillEmpty only where it is empty.
    const fill = options.mode === 'fillEmpty';
    const fieldsBefore = { lifecycleStage: before.lifecycle_stage, owner: before.owner, tags: tagsBefore };
    const fieldsAfter = {
      lifecycleStage:
        row.lifecycleStage === undefined || (fill && before.lifecycle_stage)
          ? before.lifecycle_stage
          : row.lifecycleStage,
      owner: row.owner === undefined || (fill && before.owner) ? before.owner : row.owner,
      tags: row.tags === undefined || (fill && tagsBefore.length > 0) ? tagsBefore : [...row.tags],
    };
    const traits = valueChanges(traitsBefore, traitsAfter);
    const fields = valueChanges(fieldsBefore, fieldsAfter);
    const hasTraits = Object.keys(traits).length > 0;
    const hasFields = Object.keys(fields).length > 0;
    if (isNew || hasTraits || hasFields)
      updateProfile.run({
        id: profileId,
        traits: written.values,
        stamps: written.stamps,
        stage: fieldsAfter.lifecycleStage,
        owner: fieldsAfter.owner,
        tags: JSON.stringify(fieldsAfter.tags),
        now: at,
      });
    const contactId = before.public_id;
    if (isNew) {
      changes.record({
        type: 'contact.created',
        profileId,
        contactId,
        data: {
          identities: added.map(([type, value]) => ({ type, value })),
          traits: traitsAfter,
          fields: fieldsAfter,
          companies: [],
        },
      });
      return 'created';
    }
    if (added.length > 0) {
      changes.record({
        type: 'contact.identified',
        profileId,
        contactId,
        data: { identities: added.map(([type, value]) => ({ type, value })) },
      });
    }
    if (!hasTraits && !hasFields) return added.length > 0 ? 'updated' : 'unchanged';
    changes.record({
      type: 'contact.updated',
      profileId,
      contactId,
      data: { ...(hasFields ? { fields } : {}), ...(hasTraits ? { traits } : {}) },
    });
    return 'updated';
  }

  return {
    importRows: db.transaction((rows: readonly ImportRow[], options) => rows.map((row) => importOne(row, options))),
  };
}
