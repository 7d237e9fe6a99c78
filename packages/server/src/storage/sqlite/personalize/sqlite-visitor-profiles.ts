import type { PrivacyLookup } from '../../../ingest/pipeline.js';
import type { PersonalizeStore, VisitorProfile } from '../../../personalize/personalize-store.js';
import { toVisitorProfile } from '../../../personalize/visitor-profile.js';
import type { SqliteDatabase } from '../open-database.js';

interface ProfileRow {
  id: number;
  public_id: string;
  merged_into: number | null;
  traits: string;
  contact_email: string | null;
}

export interface VisitorProfileDeps {
  readonly privacy: PrivacyLookup;
  /** Every computed trait's value for a profile (audiences/computed-trait.ts). */
  readonly computedValuesOf: (profileId: number) => Promise<Record<string, unknown>>;
}

/**
 * The reads behind `GET /v1/personalize`: the contact an identifier belongs to, merges followed,
 * with what an answer may draw on. A handful of indexed look-ups, none of them a scan.
 */
export function createSqliteVisitorProfiles(
  db: SqliteDatabase,
  deps: VisitorProfileDeps,
): Pick<PersonalizeStore, 'visitor' | 'visitorByContactId'> {
  const columns = 'id, public_id, merged_into, traits, contact_email';
  const byIdentifier = db.prepare<[string, string], ProfileRow>(
    `SELECT ${columns} FROM profiles WHERE id = (SELECT profile_id FROM identifiers WHERE type = ? AND value = ?)`,
  );
  const byPublicId = db.prepare<[string], ProfileRow>(`SELECT ${columns} FROM profiles WHERE public_id = ?`);
  const byId = db.prepare<[number], ProfileRow>(`SELECT ${columns} FROM profiles WHERE id = ?`);
  const identifiersOf = db.prepare<[number], { type: string; value: string }>(
    'SELECT type, value FROM identifiers WHERE profile_id = ?',
  );
  const audiencesOf = db.prepare<[number], { id: string; name: string }>(
    `SELECT audience.id, audience.name
     FROM audience_members AS member JOIN audiences AS audience ON audience.id = member.audience_id
     WHERE member.profile_id = ? ORDER BY member.entered_at, audience.id`,
  );

  async function profileOf(found: ProfileRow | undefined): Promise<VisitorProfile | undefined> {
    // merged_into names the live survivor (identity keeps it current through chains).
    const row = found?.merged_into == null ? found : byId.get(found.merged_into);
    if (!row) return undefined;
    const { suppressions } = deps.privacy.hasAny();
    return toVisitorProfile({
      contactId: row.public_id,
      contactEmail: row.contact_email,
      traits: row.traits,
      identifiers: identifiersOf.all(row.id),
      isSuppressed: (identifiers) =>
        suppressions && identifiers.some((identifier) => deps.privacy.isSuppressed(identifier)),
      computed: await deps.computedValuesOf(row.id),
      audiences: audiencesOf.all(row.id),
    });
  }

  return {
    visitor: (type, value) => profileOf(byIdentifier.get(type, value)),
    visitorByContactId: (contactId) => profileOf(byPublicId.get(contactId)),
  };
}
