import type pg from 'pg';
import {
  createdChange,
  type EditPlan,
  editedChange,
  newContactIdentifiers,
  type ProfileState,
  planEdit,
} from '../../../contacts/contact-edit.js';
import type { ContactWrites } from '../../../contacts/contact-store.js';
import type { ContactPatch } from '../../../contacts/contact-write-schemas.js';
import { newContactId } from '../../../identity/contact-id.js';
import { lockNames, takeLocks } from '../advisory-locks.js';
import { appendAdminChanges } from '../audiences/postgres-audience-evaluation.js';
import type { PostgresAudienceRegistry } from '../audiences/postgres-audience-registry.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

/**
 * A person's edits on PostgreSQL, by the rule of contacts/contact-edit.ts (SQLite's:
 * storage/sqlite/contacts/contact-writes.ts). An edit locks the profile's row, as ingest does, so
 * that an event stored meanwhile by another server neither loses the edit nor is lost by it; a
 * contact made by hand takes the advisory locks of its identifiers, as ingest does, so that it and
 * an event carrying the same email never make two contacts. Audiences follow the change as they
 * follow ingest's (audiences/postgres-audience-evaluation.ts).
 */
export function createPostgresContactWrites(
  pool: PostgresPool,
  now: () => number,
  audiences: PostgresAudienceRegistry,
): ContactWrites {
  async function applyPatch(
    client: pg.PoolClient,
    profileId: number,
    patch: ContactPatch,
    at: number,
  ): Promise<(EditPlan & { contactId: string }) | undefined> {
    const { rows } = await client.query<ProfileState & { merged_into: number | null }>(
      `SELECT public_id, traits, trait_stamps, lifecycle_stage, owner, tags, merged_into FROM profiles
       WHERE id = $1 FOR UPDATE`,
      [profileId],
    );
    const before = rows[0];
    // Gone, or merged away while this waited for the lock: the caller looks again.
    if (!before || before.merged_into !== null) return undefined;
    const edit = await client.query<{ id: number }>(
      'INSERT INTO manual_edits (profile_id, edited_at, changes) VALUES ($1, $2, $3) RETURNING id',
      [profileId, at, JSON.stringify(patch)],
    );
    const plan = planEdit(before, patch, at, (edit.rows[0] as { id: number }).id);
    const { columns } = plan;
    // A field the edit leaves out keeps its value; one sent as null is cleared.
    await client.query(
      `UPDATE profiles SET traits = coalesce($2, traits), trait_stamps = coalesce($3, trait_stamps),
         lifecycle_stage = CASE WHEN $4 THEN $5 ELSE lifecycle_stage END,
         owner = CASE WHEN $6 THEN $7 ELSE owner END,
         tags = CASE WHEN $8 THEN $9 ELSE tags END,
         updated_at = $10
       WHERE id = $1`,
      [
        profileId,
        plan.traits?.values ?? null,
        plan.traits?.stamps ?? null,
        'lifecycleStage' in columns,
        columns.lifecycleStage ?? null,
        'owner' in columns,
        columns.owner ?? null,
        'tags' in columns,
        columns.tags ?? '[]',
        at,
      ],
    );
    return { ...plan, contactId: before.public_id };
  }

  return {
    patch: (asked, patch) =>
      inTransaction(pool, async (client) => {
        const set = await audiences.enter(client);
        // Looked up before this transaction: merged since (merged_into names the live one), or
        // erased. A merge committed between this read and the lock makes it look again.
        for (let looked = 0; looked < 5; looked++) {
          const live = await client.query<{ id: number }>(
            'SELECT coalesce(merged_into, id) AS id FROM profiles WHERE id = $1',
            [asked],
          );
          const profileId = live.rows[0]?.id;
          if (profileId === undefined) return false;
          const at = now();
          const plan = await applyPatch(client, profileId, patch, at);
          if (plan === undefined) continue;
          const change = editedChange(profileId, plan.contactId, plan);
          if (change) await appendAdminChanges(client, set, [change], () => at);
          return true;
        }
        throw new Error(`contact ${asked} kept being merged while it was edited`);
      }),
    create: (input) =>
      inTransaction(pool, async (client) => {
        const set = await audiences.enter(client);
        const identifiers = newContactIdentifiers(input);
        await takeLocks(client, identifiers.map(lockNames.identifier));
        for (const { type, value } of identifiers) {
          const { rows } = await client.query<{ profile_id: number }>(
            'SELECT profile_id FROM identifiers WHERE type = $1 AND value = $2',
            [type, value],
          );
          if (rows[0]) return { existingId: rows[0].profile_id };
        }
        const at = now();
        // Seen when made: a later event's earlier timestamp lowers firstSeenAt, as for any profile.
        const contactId = newContactId(at);
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO profiles (public_id, first_seen_at, last_seen_at, created_at, updated_at, identifier_count)
           VALUES ($1, $2, $2, $2, $2, $3) RETURNING id`,
          [contactId, at, identifiers.length],
        );
        const id = (rows[0] as { id: number }).id;
        for (const { type, value } of identifiers) {
          await client.query(
            'INSERT INTO identifiers (type, value, profile_id, first_seen_at) VALUES ($1, $2, $3, $4)',
            [type, value, id, at],
          );
        }
        const { email: _email, userId: _userId, ...fields } = input;
        const plan = await applyPatch(client, id, fields, at);
        if (!plan) throw new Error(`profile ${id} made in this transaction is not live`);
        await appendAdminChanges(client, set, [createdChange(id, contactId, identifiers, plan)], () => at);
        return { created: id };
      }),
  };
}
