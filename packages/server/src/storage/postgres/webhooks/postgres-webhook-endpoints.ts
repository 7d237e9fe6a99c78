import type { WebhookStore } from '../../../webhooks/webhook-store.js';
import {
  type EndpointFields,
  type EndpointRow,
  liveSecrets,
  newEndpoint,
  rotatedSecrets,
  toEndpoint,
  updatedEndpoint,
} from '../../webhook-rows.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';

/** The endpoints' half of the WebhookStore on PostgreSQL: what an admin sees and changes. */
export type WebhookEndpoints = Pick<
  WebhookStore,
  'list' | 'get' | 'create' | 'update' | 'remove' | 'rotateSecret' | 'secretsOf' | 'writeKeyOf' | 'disable'
>;

/** An endpoint's row, locked (`FOR UPDATE`) when `lock` says so. */
export async function selectEndpoint(
  db: Pick<PostgresPool, 'query'>,
  id: string,
  lock: '' | 'FOR UPDATE' = '',
): Promise<EndpointRow | undefined> {
  return (await db.query<EndpointRow>(`SELECT * FROM webhook_endpoints WHERE id = $1 ${lock}`, [id])).rows[0];
}

/** An endpoint's saved fields, as the INSERT and UPDATE below list them ($1–$9). */
const saveFields = (fields: EndpointFields) => [
  fields.url,
  fields.description,
  fields.types,
  fields.filters,
  fields.isEnabled,
  fields.maxPerSecond,
  fields.format,
  fields.writeKey,
  fields.consentCategory,
];

/** The feed's retention no longer waits for a disabled endpoint's queue. */
async function stopHolding(db: Pick<PostgresPool, 'query'>, endpointId: string, now: number) {
  await db.query('UPDATE change_consumers SET is_enabled = false, updated_at = $1 WHERE name = $2', [
    now,
    `webhook:${endpointId}`,
  ]);
}

/** Endpoints (SQLite's: storage/sqlite/webhooks/sqlite-webhook-store.ts), each change under its row lock. */
export function createPostgresWebhookEndpoints(pool: PostgresPool): WebhookEndpoints {
  return {
    async list() {
      const { rows } = await pool.query<EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id');
      return rows.map(toEndpoint);
    },
    async get(id) {
      const row = await selectEndpoint(pool, id);
      return row ? toEndpoint(row) : undefined;
    },
    async create(input, now) {
      const { id, secret, secrets, fields } = newEndpoint(input);
      const { rows } = await pool.query<EndpointRow>(
        `INSERT INTO webhook_endpoints (url, description, types, filters, is_enabled, max_per_second, format,
           forward_write_key, consent_category, id, secrets, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, (SELECT coalesce(max(seq), 0) FROM changes), $12, $12)
         RETURNING *`,
        [...saveFields(fields), id, secrets, now],
      );
      return { endpoint: toEndpoint(rows[0] as EndpointRow), secret };
    },
    update: (id, input, now) =>
      inTransaction(pool, async (client) => {
        const row = await selectEndpoint(client, id, 'FOR UPDATE');
        if (!row) return undefined;
        const { rows } = await client.query<EndpointRow>(
          `UPDATE webhook_endpoints SET url = $1, description = $2, types = $3, filters = $4, is_enabled = $5,
             disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
             failing_since = CASE WHEN $5 AND NOT is_enabled THEN NULL ELSE failing_since END,
             max_per_second = $6, format = $7, forward_write_key = $8, consent_category = $9, updated_at = $11
           WHERE id = $10 RETURNING *`,
          [...saveFields(updatedEndpoint(row, input)), id, now],
        );
        if (input.isEnabled === false) await stopHolding(client, id, now);
        return toEndpoint(rows[0] as EndpointRow);
      }),
    remove: (id) =>
      inTransaction(pool, async (client) => {
        if (!(await selectEndpoint(client, id, 'FOR UPDATE'))) return false;
        await client.query('DELETE FROM webhook_messages WHERE endpoint_id = $1', [id]);
        await client.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
        await client.query('DELETE FROM change_consumers WHERE name = $1', [`webhook:${id}`]);
        return true;
      }),
    rotateSecret: (id, now, oldExpiresAt) =>
      inTransaction(pool, async (client) => {
        const row = await selectEndpoint(client, id, 'FOR UPDATE');
        if (!row) return undefined;
        const rotated = rotatedSecrets(row.secrets, now, oldExpiresAt);
        await client.query('UPDATE webhook_endpoints SET secrets = $1, updated_at = $2 WHERE id = $3', [
          rotated.secrets,
          now,
          id,
        ]);
        return rotated.secret;
      }),
    async secretsOf(id, now) {
      const row = await selectEndpoint(pool, id);
      return row ? liveSecrets(row.secrets, now) : [];
    },
    async writeKeyOf(endpointId) {
      return (await selectEndpoint(pool, endpointId))?.forward_write_key ?? null;
    },
    disable: (endpointId, reason, now) =>
      inTransaction(pool, async (client) => {
        await client.query(
          'UPDATE webhook_endpoints SET is_enabled = false, disabled_reason = $1, updated_at = $2 WHERE id = $3',
          [reason, now, endpointId],
        );
        await stopHolding(client, endpointId, now);
      }),
  };
}
