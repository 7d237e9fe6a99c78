import { type ChangeSink, valueChanges } from '../changes/change.js';
import type { ProfileState } from '../contacts/contact-edit.js';
import type { ContactImports, ImportOutcome } from '../contacts/contact-store.js';
import { mergeStamped, readStamped, writeStamped } from '../identity/stamped-values.js';
import type { PrivacyLookup } from '../ingest/pipeline.js';
import type { ImportRow } from './import-rows.js';
import { importMessageId, stampImport } from './import-stamps.js';

export type ImportOptions = Parameters<ContactImports['importRows']>[1];

/**
 * What importing a row reads and writes, inside its transaction: the database itself (SQLite), or
 * what was read ahead and is written back after (PostgreSQL). Owners, counts and states answer as
 * the database would at that point of the slice, the rows before included.
 */
export interface ImportTarget {
  ownerOf(type: string, value: string): number | undefined;
  /** The profile's identifiers, counted by type. */
  countsOf(profileId: number): Map<string, number>;
  stateOf(profileId: number): ProfileState;
  /** A new, empty contact; answers its profile id. */
  createProfile(at: number): number;
  /** Gives the profile an identifier (and counts it). */
  addIdentifier(type: string, value: string, profileId: number, at: number): void;
  saveProfile(
    profileId: number,
    saved: {
      readonly traits: string;
      readonly stamps: string;
      readonly lifecycleStage: string | null;
      readonly owner: string | null;
      readonly tags: string;
    },
    at: number,
  ): void;
}

const fieldName = (type: string) => (type === 'user_id' ? 'userId' : 'email');

/**
 * One imported row: it finds its contact by the import's key (email or userId), or makes one, and
 * writes its traits stamped with its own time (import-stamps.ts), so the same newest-wins rule as
 * events decides. Changes go to `changes` (the admin sink), so the feed, the audiences and the
 * webhooks see an import as they see any write.
 */
export function importRow(
  target: ImportTarget,
  row: ImportRow,
  options: ImportOptions,
  context: { readonly privacy: PrivacyLookup; readonly changes: ChangeSink; readonly at: number },
): ImportOutcome {
  const { privacy, changes, at } = context;
  const identifiers: [type: string, value: string][] = [];
  if (row.email !== undefined) identifiers.push(['email', row.email]);
  if (row.userId !== undefined) identifiers.push(['user_id', row.userId]);
  const keyType = options.key === 'email' ? 'email' : 'user_id';
  const keyValue = options.key === 'email' ? row.email : row.userId;
  const found = keyValue === undefined ? undefined : target.ownerOf(keyType, keyValue);
  for (const [type, value] of identifiers) {
    const owner = target.ownerOf(type, value);
    if (owner !== undefined && owner !== found) {
      return {
        error: `${fieldName(type)}: ${value} belongs to another contact than the ${options.key} of this row names`,
      };
    }
  }
  // As ingest's privacy gate: nothing for a suppressed identifier, nothing dated before an erasure.
  const { erasures, suppressions } = privacy.hasAny();
  for (const [type, value] of identifiers) {
    if (suppressions && privacy.isSuppressed({ type, value }))
      return { error: `${fieldName(type)}: ${value} is suppressed` };
    const erasedAt = erasures ? privacy.erasedAt({ type, value }) : undefined;
    if (erasedAt !== undefined && row.at <= erasedAt) {
      return { error: `${fieldName(type)}: ${value} was erased after this row's date` };
    }
  }
  // The identity rules' limits, as the resolver keeps them: a userId (limit 1) is never added
  // beside another; with fillEmpty a contact that has an email keeps it alone.
  let added = identifiers.filter(([type, value]) => target.ownerOf(type, value) === undefined);
  if (found !== undefined) {
    const held = target.countsOf(found);
    if (options.mode === 'fillEmpty') added = added.filter(([type]) => (held.get(type) ?? 0) === 0);
    let total = [...held.values()].reduce((sum, n) => sum + n, 0);
    for (const [type, value] of added) {
      const count = held.get(type) ?? 0;
      if (count + 1 > options.limitOf(type) || total + 1 > options.maxIdentifiers) {
        return {
          error: `${fieldName(type)}: ${value} would pass this contact's limit of ${options.limitOf(type)} (identity rules)`,
        };
      }
      held.set(type, count + 1);
      total++;
    }
  }
  const isNew = found === undefined;
  const profileId = found ?? target.createProfile(at);
  for (const [type, value] of added) target.addIdentifier(type, value, profileId, at);
  const before = target.stateOf(profileId);
  const current = readStamped(before.traits, before.trait_stamps);
  const traitsBefore = JSON.parse(before.traits) as Record<string, unknown>;
  const incoming = stampImport(row.traits, current, row.at, importMessageId(options.importId, row.line), options.mode);
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
  if (isNew || hasTraits || hasFields) {
    target.saveProfile(
      profileId,
      {
        traits: written.values,
        stamps: written.stamps,
        lifecycleStage: fieldsAfter.lifecycleStage,
        owner: fieldsAfter.owner,
        tags: JSON.stringify(fieldsAfter.tags),
      },
      at,
    );
  }
  const contactId = before.public_id;
  const identities = added.map(([type, value]) => ({ type, value }));
  if (isNew) {
    changes.record({
      type: 'contact.created',
      profileId,
      contactId,
      data: { identities, traits: traitsAfter, fields: fieldsAfter, companies: [] },
    });
    return 'created';
  }
  if (added.length > 0) changes.record({ type: 'contact.identified', profileId, contactId, data: { identities } });
  if (!hasTraits && !hasFields) return added.length > 0 ? 'updated' : 'unchanged';
  changes.record({
    type: 'contact.updated',
    profileId,
    contactId,
    data: { ...(hasFields ? { fields } : {}), ...(hasTraits ? { traits } : {}) },
  });
  return 'updated';
}
