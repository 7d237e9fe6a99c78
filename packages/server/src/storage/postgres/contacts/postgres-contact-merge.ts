import type { NewChange } from '../../../changes/change.js';
import { type CrmRow, mergedFieldsChange, planCrmMerge } from '../../../contacts/contact-edit.js';
import type { ContactMerge, MergeOutcome } from '../../../contacts/contact-store.js';
import { manualMessageId } from '../../../contacts/manual-edits.js';
import type { IdentityRules } from '../../../identity/identity-rules.js';
import { createRecordingIdentityStore } from '../../../identity/recording-identity-store.js';
import { absorbInto, fitsMergeCaps } from '../../../identity/resolve-identity.js';
import { appendAdminChanges } from '../audiences/postgres-audience-evaluation.js';
import type { PostgresAudienceRegistry } from '../audiences/postgres-audience-registry.js';
import { createIdentityWorkingSet } from '../ingest/identity-working-set.js';
import { readOwners, StaleReadAheadError } from '../ingest/postgres-ingest-reads.js';
import { writeIngest } from '../ingest/postgres-ingest-writes.js';
import { inTransactionRetried, type PostgresPool } from '../postgres-pool.js';

/**
 * An admin's merge on PostgreSQL, as SQLite's (storage/sqlite/contacts/contact-merge.ts): identity's
 * one merge (absorbInto) over the two profiles, read and locked as ingest reads them (FOR UPDATE, in
 * id order), written back as ingest writes, then the CRM fields (contacts/contact-edit.ts
 * planCrmMerge). A batch of another server that read either profile before the merge committed
 * finds it absorbed once it gets the row lock, and starts again.
 */
export function createPostgresContactMerge(
  pool: PostgresPool,
  rules: IdentityRules,
  now: () => number,
  audiences: PostgresAudienceRegistry,
): ContactMerge {
  return {
    merge: (primaryId, secondaryId) =>
      inTransactionRetried(pool, async (client): Promise<MergeOutcome> => {
        const set = await audiences.enter(client);
        let owned: Awaited<ReturnType<typeof readOwners>>;
        try {
          owned = await readOwners(
            client,
            [primaryId, secondaryId].sort((a, b) => a - b),
            [],
          );
        } catch (error) {
          // Looked up before this transaction: another server merged or erased one since.
          if (error instanceof StaleReadAheadError) return 'changed';
          throw error;
        }
        const identity = createIdentityWorkingSet(
          { ...owned, owners: new Map(), companies: new Map(), newProfileIds: [], newCompanyIds: [] },
          now,
        );
        const changes: NewChange[] = [];
        const store = createRecordingIdentityStore(identity, { record: (change) => changes.push(change) });
        const survivor = store.getProfile(primaryId);
        const absorbed = store.getProfile(secondaryId);
        if (!fitsMergeCaps(rules, survivor, absorbed)) return 'over_caps';
        const at = now();
        const edit = await client.query<{ id: number }>(
          'INSERT INTO manual_edits (profile_id, edited_at, changes) VALUES ($1, $2, $3) RETURNING id',
          [primaryId, at, JSON.stringify({ merged: absorbed.contactId })],
        );
        const crm = await client.query<CrmRow & { id: number }>(
          'SELECT id, lifecycle_stage, owner, tags FROM profiles WHERE id = ANY ($1::bigint[])',
          [[primaryId, secondaryId]],
        );
        absorbInto(store, survivor, absorbed, { messageId: manualMessageId((edit.rows[0] as { id: number }).id), at });
        store.saveProfile(survivor);
        store.flush();
        await writeIngest(client, identity.writes, [], at);
        const primaryCrm = crm.rows.find((row) => row.id === primaryId);
        const secondaryCrm = crm.rows.find((row) => row.id === secondaryId);
        if (primaryCrm && secondaryCrm) {
          const fields = planCrmMerge(primaryCrm, secondaryCrm);
          await client.query('UPDATE profiles SET lifecycle_stage = $2, owner = $3, tags = $4 WHERE id = $1', [
            primaryId,
            fields.lifecycleStage,
            fields.owner,
            fields.tags,
          ]);
          const change = mergedFieldsChange(primaryId, survivor.contactId, fields.changed);
          if (change) changes.push(change);
        }
        await appendAdminChanges(client, set, changes, () => at);
        return 'merged';
      }),
  };
}
