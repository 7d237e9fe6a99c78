import type pg from 'pg';
import type { NewChange } from '../../../changes/change.js';
import type { ProfileState } from '../../../contacts/contact-edit.js';
import type { ContactImports } from '../../../contacts/contact-store.js';
import { newContactId } from '../../../identity/contact-id.js';
import type { Identifier } from '../../../identity/identity-rules.js';
import { type ImportTarget, importRow } from '../../../imports/import-row-rule.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import { lockNames, takeLocks } from '../advisory-locks.js';
import { appendAdminChanges } from '../audiences/postgres-audience-evaluation.js';
import type { PostgresAudienceRegistry } from '../audiences/postgres-audience-registry.js';
import { identifierKey } from '../ingest/identity-working-set.js';
import { privacyLookup, readPrivacy, StaleReadAheadError } from '../ingest/postgres-ingest-reads.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

type Saved = Parameters<ImportTarget['saveProfile']>[1];

/**
 * Imports on PostgreSQL (SQLite's: storage/sqlite/contacts/contact-import.ts), each slice as
 * ingest does a batch: it takes the advisory locks of every identifier its rows name (so no other
 * server gives one an owner meanwhile), reads their owners and locks those profiles, runs
 * imports/import-row-rule.ts over what it read, and writes back. A profile absorbed or erased by
 * another server between the read and the lock makes the slice start again.
 */
export function createPostgresContactImports(
  pool: PostgresPool,
  options: {
    readonly now: () => number;
    readonly hash: IdentifierHasher;
    readonly audiences: PostgresAudienceRegistry;
  },
): ContactImports {
  const attempt = (
    rows: Parameters<ContactImports['importRows']>[0],
    importOptions: Parameters<ContactImports['importRows']>[1],
  ) =>
    inTransaction(pool, async (client) => {
      const set = await options.audiences.enter(client);
      const named = new Map<string, Identifier>();
      for (const row of rows) {
        if (row.email !== undefined)
          named.set(identifierKey({ type: 'email', value: row.email }), { type: 'email', value: row.email });
        if (row.userId !== undefined)
          named.set(identifierKey({ type: 'user_id', value: row.userId }), { type: 'user_id', value: row.userId });
      }
      const identifiers = [...named.values()];
      await takeLocks(client, identifiers.map(lockNames.identifier));
      const target = await readTarget(client, identifiers, rows.length);
      const hashed = new Map(identifiers.map((identifier) => [options.hash(identifier), identifier]));
      const privacy = privacyLookup(await readPrivacy(client, [...hashed.keys()]), hashed, options.hash);
      const changes: NewChange[] = [];
      const sink = { record: (change: NewChange) => changes.push(change) };
      const outcomes = rows.map((row) =>
        importRow(target, row, importOptions, { privacy, changes: sink, at: options.now() }),
      );
      await target.writeBack(client);
      await appendAdminChanges(client, set, changes, options.now);
      return outcomes;
    });

  return {
    async importRows(rows, importOptions) {
      for (let tried = 1; ; tried++) {
        try {
          return await attempt(rows, importOptions);
        } catch (error) {
          if (tried >= 5 || !(error instanceof StaleReadAheadError)) throw error;
        }
      }
    },
  };
}

/** The import's target over what was read ahead, and what it wrote, to be written back. */
async function readTarget(
  client: pg.PoolClient,
  identifiers: readonly Identifier[],
  rowCount: number,
): Promise<ImportTarget & { writeBack(client: pg.PoolClient): Promise<void> }> {
  const { rows: ownerRows } = await client.query<{ type: string; value: string; profile_id: number }>(
    `SELECT i.type, i.value, i.profile_id FROM identifiers AS i
     JOIN unnest($1::text[], $2::text[]) AS w (type, value) USING (type, value)`,
    [identifiers.map((identifier) => identifier.type), identifiers.map((identifier) => identifier.value)],
  );
  const owners = new Map(ownerRows.map((row) => [identifierKey(row), row.profile_id]));
  const profileIds = [...new Set(owners.values())].sort((a, b) => a - b);
  const { rows: locked } = await client.query<ProfileState & { id: number; merged_into: number | null }>(
    `SELECT id, merged_into, public_id, traits, trait_stamps, lifecycle_stage, owner, tags FROM profiles
     WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE`,
    [profileIds],
  );
  if (locked.length < profileIds.length || locked.some((row) => row.merged_into !== null)) {
    throw new StaleReadAheadError();
  }
  const states = new Map<number, ProfileState>(locked.map(({ id, merged_into: _, ...state }) => [id, state]));
  const counts = new Map<number, Map<string, number>>(profileIds.map((id) => [id, new Map()]));
  const { rows: countRows } = await client.query<{ profile_id: number; type: string; n: number }>(
    'SELECT profile_id, type, count(*)::int AS n FROM identifiers WHERE profile_id = ANY ($1::bigint[]) GROUP BY profile_id, type',
    [profileIds],
  );
  for (const row of countRows) counts.get(row.profile_id)?.set(row.type, row.n);
  // Ids for as many contacts as the slice could make (unused ones are gaps).
  const { rows: idRows } = await client.query<{ id: number }>(
    "SELECT nextval('profiles_id_seq') AS id FROM generate_series(1, $1::int)",
    [rowCount],
  );
  const freeIds = idRows.map((row) => row.id);

  const created: { id: number; publicId: string; at: number }[] = [];
  const added: { type: string; value: string; profileId: number; at: number }[] = [];
  const saved = new Map<number, { saved: Saved; at: number }>();
  return {
    ownerOf: (type, value) => owners.get(identifierKey({ type, value })),
    countsOf: (profileId) => new Map(counts.get(profileId)),
    stateOf(profileId) {
      const state = states.get(profileId);
      if (!state) throw new Error(`profile ${profileId} was not read ahead`);
      return state;
    },
    createProfile(at) {
      const id = freeIds.shift();
      if (id === undefined) throw new Error('more contacts made than the slice has rows');
      const publicId = newContactId(at);
      created.push({ id, publicId, at });
      states.set(id, {
        public_id: publicId,
        traits: '{}',
        trait_stamps: '{}',
        lifecycle_stage: null,
        owner: null,
        tags: '[]',
      });
      counts.set(id, new Map());
      return id;
    },
    addIdentifier(type, value, profileId, at) {
      owners.set(identifierKey({ type, value }), profileId);
      const held = counts.get(profileId);
      held?.set(type, (held.get(type) ?? 0) + 1);
      added.push({ type, value, profileId, at });
    },
    saveProfile(profileId, fields, at) {
      const state = states.get(profileId) as ProfileState;
      states.set(profileId, {
        ...state,
        traits: fields.traits,
        trait_stamps: fields.stamps,
        lifecycle_stage: fields.lifecycleStage,
        owner: fields.owner,
        tags: fields.tags,
      });
      saved.set(profileId, { saved: fields, at });
    },
    async writeBack(db) {
      // As SQLite's: a new contact's row first, then its identifiers (the displayed email follows
      // them by trigger), then its traits and fields.
      await db.query(
        `INSERT INTO profiles (id, public_id, first_seen_at, last_seen_at, created_at, updated_at)
         SELECT id, public_id, at, at, at, at FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS row (id, public_id, at)`,
        [created.map((row) => row.id), created.map((row) => row.publicId), created.map((row) => row.at)],
      );
      await db.query(
        `INSERT INTO identifiers (type, value, profile_id, first_seen_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])`,
        [
          added.map((row) => row.type),
          added.map((row) => row.value),
          added.map((row) => row.profileId),
          added.map((row) => row.at),
        ],
      );
      await db.query(
        `UPDATE profiles AS p SET identifier_count = p.identifier_count + a.n
         FROM (SELECT profile_id, count(*)::int AS n FROM unnest($1::bigint[]) AS profile_id GROUP BY profile_id) AS a
         WHERE p.id = a.profile_id`,
        [added.map((row) => row.profileId)],
      );
      const writes = [...saved.entries()];
      await db.query(
        `UPDATE profiles AS p SET traits = w.traits, trait_stamps = w.stamps, lifecycle_stage = w.stage,
           owner = w.owner, tags = w.tags, updated_at = w.at
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
           AS w (id, traits, stamps, stage, owner, tags, at)
         WHERE p.id = w.id`,
        [
          writes.map(([id]) => id),
          writes.map(([, write]) => write.saved.traits),
          writes.map(([, write]) => write.saved.stamps),
          writes.map(([, write]) => write.saved.lifecycleStage),
          writes.map(([, write]) => write.saved.owner),
          writes.map(([, write]) => write.saved.tags),
          writes.map(([, write]) => write.at),
        ],
      );
    },
  };
}
