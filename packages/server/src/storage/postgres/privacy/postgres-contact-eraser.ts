import type pg from 'pg';
import type { Identifier } from '../../../identity/identity-rules.js';
import { stampsWithoutErased } from '../../../privacy/erased-stamps.js';
import type { ContactEraser, ErasureSummary } from '../../../privacy/privacy-store.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import { lockNames, takeLocks } from '../advisory-locks.js';
import { appendChanges } from '../postgres-change-feed.js';
import { inTransactionRetried, type PostgresPool } from '../postgres-pool.js';

/**
 * Right to erasure on PostgreSQL: what SQLite's eraser removes (storage/sqlite/privacy/
 * erase-contact.ts), in one transaction that takes the locks ingest takes, so that no other server
 * gives the erased identifiers to the contact, writes its events or rewrites its companies' stamps
 * while it goes: the identifiers' and companies' advisory locks, then the profile's row lock and its
 * absorbed profiles'. It does not rewrite files: what a DELETE leaves behind on PostgreSQL, and how an
 * operator makes erasure final, is in docs/scaling.md.
 */
export function createPostgresContactEraser(
  pool: PostgresPool,
  options: { readonly hash: IdentifierHasher; readonly now: () => number },
): ContactEraser {
  return {
    async erase(profileId, erasure) {
      // A contact merged into another meanwhile: the erasure follows it to the survivor, as its ref does.
      let target = profileId;
      for (let tried = 0; tried < 5; tried++) {
        try {
          const done = await inTransactionRetried(pool, (client) =>
            eraseOnce(client, target, erasure.suppress, options),
          );
          if (typeof done !== 'number') return done;
          target = done;
        } catch (error) {
          if (!(error instanceof ReadAgain)) throw error;
        }
      }
      throw new Error(`contact ${profileId} kept changing while it was erased`);
    },
  };
}

/** What the first read named changed before the locks were granted: the erasure starts again. */
class ReadAgain extends Error {}

/** The summary, or the survivor the profile was merged into before its lock was granted. */
async function eraseOnce(
  client: pg.PoolClient,
  profileId: number,
  suppressed: boolean,
  options: { readonly hash: IdentifierHasher; readonly now: () => number },
): Promise<ErasureSummary | number> {
  const family = 'profile_id IN (SELECT $1::bigint UNION ALL SELECT id FROM profiles WHERE merged_into = $1)';
  const before = await client.query<{ identifiers: Identifier[]; group_ids: string[] }>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('type', type, 'value', value)), '[]') FROM identifiers
          WHERE ${family}) AS identifiers,
       (SELECT coalesce(json_agg(DISTINCT company.group_id), '[]') FROM profile_companies AS link
          JOIN companies AS company ON company.id = link.company_id WHERE link.${family}) AS group_ids`,
    [profileId],
  );
  const read = before.rows[0] as { identifiers: Identifier[]; group_ids: string[] };
  await takeLocks(client, [...read.identifiers.map(lockNames.identifier), ...read.group_ids.map(lockNames.company)]);

  // The profile and those merged into it, locked in id order (as ingest and merges lock them).
  const locked = await client.query<{ id: number; merged_into: number | null; public_id: string }>(
    'SELECT id, merged_into, public_id FROM profiles WHERE id = $1 OR merged_into = $1 ORDER BY id FOR UPDATE',
    [profileId],
  );
  const profile = locked.rows.find((row) => row.id === profileId);
  const erasedAt = options.now();
  if (!profile) return { erasedAt, profiles: 0, identifiers: 0, events: 0, notes: 0, suppressed };
  if (profile.merged_into !== null) return profile.merged_into;
  // A statement of its own, under the profile's lock: it sees every merge into it committed before.
  const absorbed = await client.query<{ id: number }>(
    'SELECT id FROM profiles WHERE merged_into = $1 ORDER BY id FOR UPDATE',
    [profileId],
  );
  const profileIds = [profileId, ...absorbed.rows.map((row) => row.id)];
  // A company linked since the first read is not under this erasure's lock: start again.
  const linked = await client.query<{ group_id: string }>(
    `SELECT DISTINCT company.group_id FROM profile_companies AS link
     JOIN companies AS company ON company.id = link.company_id WHERE link.profile_id = ANY ($1)`,
    [profileIds],
  );
  if (linked.rows.some((row) => !read.group_ids.includes(row.group_id))) throw new ReadAgain();
  const { rows } = await client.query<Identifier>('SELECT type, value FROM identifiers WHERE profile_id = ANY ($1)', [
    profileIds,
  ]);
  const hashes = rows.map(options.hash);
  await client.query(
    `INSERT INTO erasures (identifier_hash, erased_at) SELECT hash, $2 FROM unnest($1::text[]) AS hash
     ON CONFLICT (identifier_hash) DO UPDATE SET erased_at = GREATEST(erasures.erased_at, excluded.erased_at)`,
    [hashes, erasedAt],
  );
  if (suppressed) {
    await client.query(
      `INSERT INTO suppressions (identifier_hash, type, suppressed_at)
       SELECT hash, type, $3 FROM unnest($1::text[], $2::text[]) AS row (hash, type)
       ON CONFLICT (identifier_hash) DO NOTHING`,
      [hashes, rows.map((row) => row.type), erasedAt],
    );
  }
  await forgetCompanyStamps(client, profileIds);

  const byProfile = (table: string, column = 'profile_id') =>
    client.query(`DELETE FROM ${table} WHERE ${column} = ANY ($1)`, [profileIds]);
  await byProfile('identifiers');
  const events = (await byProfile('events')).rowCount ?? 0;
  const notes = (await byProfile('notes')).rowCount ?? 0;
  await byProfile('manual_edits');
  await byProfile('profile_companies');
  await byProfile('merges', 'survivor_id');
  await byProfile('changes');
  await byProfile('audience_members');
  await byProfile('audience_profiles');
  // Queued webhook messages carry the contact's changes and events (and what receivers answered),
  // under its id and the ids of those merged into it.
  await client.query(
    'DELETE FROM webhook_messages WHERE contact_id IN (SELECT public_id FROM profiles WHERE id = ANY ($1))',
    [profileIds],
  );
  const profiles = (await client.query('DELETE FROM profiles WHERE id = ANY ($1)', [profileIds])).rowCount ?? 0;
  // All that is left of the contact in the feed: that it was deleted, under its id.
  await appendChanges(
    client,
    [{ type: 'contact.deleted', profileId: null, contactId: profile.public_id, data: {} }],
    erasedAt,
  );
  return { erasedAt, profiles, identifiers: rows.length, events, notes, suppressed };
}

/** Takes the erased people's group calls out of their companies' trait stamps (privacy/erased-stamps.ts). */
async function forgetCompanyStamps(client: pg.PoolClient, profileIds: readonly number[]): Promise<void> {
  const { rows } = await client.query<{ message_ids: string[] | null; companies: [number, string][] }>(
    `SELECT
       (SELECT json_agg(message_id) FROM events WHERE profile_id = ANY ($1) AND type = 'group') AS message_ids,
       (SELECT coalesce(json_agg(json_build_array(company.id, company.trait_stamps)), '[]')
          FROM profile_companies AS link JOIN companies AS company ON company.id = link.company_id
          WHERE link.profile_id = ANY ($1)) AS companies`,
    [profileIds],
  );
  const read = rows[0] as { message_ids: string[] | null; companies: [number, string][] };
  if (!read.message_ids) return;
  const erased = new Set(read.message_ids);
  for (const [companyId, stampsJson] of read.companies) {
    const stamps = stampsWithoutErased(stampsJson, erased);
    if (stamps !== undefined)
      await client.query('UPDATE companies SET trait_stamps = $2 WHERE id = $1', [companyId, stamps]);
  }
}
