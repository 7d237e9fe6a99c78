import type { Identifier } from '../../identity/identity-rules.js';
import type { PersonalizeStore, VisitorProfile } from '../../personalize/personalize-store.js';
import { toVisitorProfile } from '../../personalize/visitor-profile.js';
import type { IdentifierHasher } from '../identifier-hasher.js';
import type { PostgresPool } from './postgres-pool.js';

interface VisitorRow {
  id: number;
  public_id: string;
  traits: string;
  contact_email: string | null;
  identifiers: [string, string][];
  audiences: [string, string][];
}

/**
 * The reads behind `GET /v1/personalize` on PostgreSQL (SQLite's:
 * storage/sqlite/personalize/sqlite-visitor-profiles.ts): the live contact an identifier or a
 * contact id leads to, merges followed, in one statement; then whether it is suppressed, by the
 * keyed hashes of its identifiers, and its computed values.
 */
export function createPostgresVisitorProfiles(
  pool: PostgresPool,
  deps: {
    readonly hash: IdentifierHasher;
    readonly computedValuesOf: (profileId: number) => Promise<Record<string, unknown>>;
  },
): Pick<PersonalizeStore, 'visitor' | 'visitorByContactId'> {
  async function profileOf(found: string, params: unknown[]): Promise<VisitorProfile | undefined> {
    const { rows } = await pool.query<VisitorRow>(
      `WITH found AS (${found}),
         live AS (SELECT p.id, p.public_id, p.traits, p.contact_email FROM profiles AS p
                  JOIN found ON p.id = coalesce(found.merged_into, found.id))
       SELECT live.*,
         (SELECT coalesce(json_agg(json_build_array(type, value)), '[]') FROM identifiers
            WHERE profile_id = live.id) AS identifiers,
         (SELECT coalesce(json_agg(json_build_array(audience.id, audience.name)
                   ORDER BY member.entered_at, audience.id COLLATE "C"), '[]')
            FROM audience_members AS member JOIN audiences AS audience ON audience.id = member.audience_id
            WHERE member.profile_id = live.id) AS audiences
       FROM live`,
      params,
    );
    const row = rows[0];
    if (!row) return undefined;
    const identifiers: Identifier[] = row.identifiers.map(([type, value]) => ({ type, value }));
    const hashes = identifiers.map((identifier) => deps.hash(identifier));
    const suppressed = await pool.query('SELECT 1 FROM suppressions WHERE identifier_hash = ANY ($1::text[]) LIMIT 1', [
      hashes,
    ]);
    return toVisitorProfile({
      contactId: row.public_id,
      contactEmail: row.contact_email,
      traits: row.traits,
      identifiers,
      isSuppressed: () => (suppressed.rowCount ?? 0) > 0,
      computed: await deps.computedValuesOf(row.id),
      audiences: row.audiences.map(([id, name]) => ({ id, name })),
    });
  }

  return {
    visitor: (type, value) =>
      profileOf(
        `SELECT id, merged_into FROM profiles
         WHERE id = (SELECT profile_id FROM identifiers WHERE type = $1 AND value = $2)`,
        [type, value],
      ),
    visitorByContactId: (contactId) =>
      profileOf('SELECT id, merged_into FROM profiles WHERE public_id = $1', [contactId]),
  };
}
