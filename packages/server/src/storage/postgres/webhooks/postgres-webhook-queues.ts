import type pg from 'pg';
import type { StoredChange } from '../../../changes/change.js';
import type { DueMessage, WebhookStore } from '../../../webhooks/webhook-store.js';
import { isConsented, isSubscribed, payloadTextOf } from '../../../webhooks/webhook-subscription.js';
import {
  type EndpointRow,
  gapMessage,
  inOrderDue,
  lostMessageError,
  type MessageRow,
  pendingMessage,
  statusAfter,
  subscriptionOf,
  toMessage,
} from '../../webhook-rows.js';
import { lockKeyOf } from '../advisory-locks.js';
import { pruneLockKey, saveConsumer } from '../postgres-change-feed.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';
import { selectEndpoint, type WebhookEndpoints } from './postgres-webhook-endpoints.js';

const changeColumns = 'seq, type, contact_id AS "contactId", at, data';

/** A message to insert: a change queued for an endpoint, or a gap. */
interface NewMessage {
  readonly webhookId: string;
  readonly seq: number;
  readonly contactId: string | null;
  readonly type: string;
  readonly body: string;
  readonly status: 'pending' | 'gap';
  readonly nextAttemptAt: number | null;
}

/** The queues' half of the WebhookStore on PostgreSQL: reading the feed in, taking due messages, recording attempts. */
export type WebhookQueues = Omit<WebhookStore, keyof WebhookEndpoints>;

/** The queues, for several servers delivering at once (postgres-webhook-store.ts says how). */
export function createPostgresWebhookQueues(pool: PostgresPool): WebhookQueues {
  /** The lease this store set on each message it took: its attempt's outcome is recorded under it alone. */
  const leases = new Map<number, number>();

  /** The stored event bodies an event.stored change names, by `source\0messageId`. */
  async function storedBodies(
    db: Pick<PostgresPool, 'query'>,
    changes: readonly StoredChange[],
  ): Promise<Map<string, string>> {
    const named = changes
      .filter((change) => change.type === 'event.stored')
      .map((change) => JSON.parse(change.data) as { source: string; messageId: string });
    if (named.length === 0) return new Map();
    const { rows } = await db.query<{ source: string; message_id: string; body: string }>(
      `SELECT e.source, e.message_id, e.body FROM events AS e
       JOIN unnest($1::text[], $2::text[]) AS w (source, message_id) USING (source, message_id)`,
      [named.map((event) => event.source), named.map((event) => event.messageId)],
    );
    return new Map(rows.map((row) => [`${row.source}\u0000${row.message_id}`, row.body]));
  }
  const bodyKey = (change: StoredChange) => {
    const data = JSON.parse(change.data) as { source?: string; messageId?: string };
    return `${data.source}\u0000${data.messageId}`;
  };

  /** The messages of `changes` an endpoint subscribes to (and, with a consent category, is granted). */
  async function messagesFor(
    client: pg.PoolClient,
    endpoint: EndpointRow,
    changes: readonly StoredChange[],
    now: number,
  ): Promise<NewMessage[]> {
    const subscription = subscriptionOf(endpoint);
    const subscribed = changes.filter((change) =>
      isSubscribed(subscription, change.type, JSON.parse(change.data) as Record<string, unknown>),
    );
    const bodies = subscription.consentCategory ? await storedBodies(client, subscribed) : new Map<string, string>();
    return subscribed
      .filter(
        (change) =>
          change.type !== 'event.stored' ||
          !subscription.consentCategory ||
          isConsented(JSON.parse(bodies.get(bodyKey(change)) ?? 'null') as unknown, subscription.consentCategory),
      )
      .map((change) => pendingMessage(endpoint.id, change, now));
  }

  async function insertMessages(
    client: pg.PoolClient,
    endpointId: string,
    messages: readonly NewMessage[],
    at: number,
  ) {
    if (messages.length === 0) return;
    await client.query(
      `INSERT INTO webhook_messages (endpoint_id, webhook_id, seq, contact_id, type, body, status, next_attempt_at, created_at)
       SELECT $1::text, *, $9::bigint FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])`,
      [
        endpointId,
        messages.map((message) => message.webhookId),
        messages.map((message) => message.seq),
        messages.map((message) => message.contactId),
        messages.map((message) => message.type),
        messages.map((message) => message.body),
        messages.map((message) => message.status),
        messages.map((message) => message.nextAttemptAt),
        at,
      ],
    );
  }

  /** The due messages not in flight, up to `limit` (as SQLite's dueRows). */
  async function dueRows(
    client: pg.PoolClient,
    endpointId: string,
    now: number,
    limit: number,
    perContact: 'earliest' | 'inOrder',
  ): Promise<(MessageRow & { leased_until: number | null })[]> {
    const isLeased = '(m.leased_until IS NOT NULL AND m.leased_until > $2)';
    if (perContact === 'earliest') {
      const { rows } = await client.query<MessageRow & { leased_until: number | null }>(
        `SELECT * FROM webhook_messages AS m
         WHERE m.endpoint_id = $1 AND m.status = 'pending' AND m.next_attempt_at <= $2 AND NOT ${isLeased}
           AND (m.contact_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM webhook_messages AS e
             WHERE e.endpoint_id = m.endpoint_id AND e.status = 'pending' AND e.contact_id = m.contact_id AND e.id < m.id))
         ORDER BY m.next_attempt_at, m.id LIMIT $3`,
        [endpointId, now, limit],
      );
      return rows;
    }
    // In order: the rows in flight come too, so that a contact's later messages wait behind them.
    const { rows } = await client.query<MessageRow & { leased_until: number | null }>(
      `SELECT * FROM webhook_messages AS m
       WHERE m.endpoint_id = $1 AND m.status = 'pending' AND m.next_attempt_at <= $2
         AND (m.contact_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM webhook_messages AS e
           WHERE e.endpoint_id = m.endpoint_id AND e.status = 'pending' AND e.contact_id = m.contact_id AND e.id < m.id
             AND e.next_attempt_at > $2))
       ORDER BY m.id
       LIMIT $3 + (SELECT count(*) FROM webhook_messages AS m WHERE m.endpoint_id = $1 AND m.status = 'pending' AND ${isLeased})`,
      [endpointId, now, limit],
    );
    return inOrderDue(rows, limit, (row) => row.leased_until !== null && row.leased_until > now);
  }

  return {
    enqueue: (endpointId, limit, now) =>
      inTransaction(pool, async (client) => {
        const endpoint = await selectEndpoint(client, endpointId, 'FOR UPDATE');
        if (!endpoint?.is_enabled) return 0;
        // No prune commits between the horizon read and the changes read: a pruned stretch is a gap.
        await client.query('SELECT pg_advisory_xact_lock_shared($1)', [pruneLockKey]);
        let position = endpoint.position;
        // What pruning removed past this position was never read: a gap, recorded, never silent.
        const horizons = await client.query<{ pruned: number }>('SELECT max(value) AS pruned FROM change_horizons');
        const pruned = horizons.rows[0]?.pruned ?? 0;
        if (pruned > position) {
          const gap = gapMessage(endpointId, position, pruned);
          await insertMessages(
            client,
            endpointId,
            [{ ...gap, contactId: null, type: 'gap', status: 'gap', nextAttemptAt: null }],
            now,
          );
          position = pruned;
        }
        const { rows: changes } = await client.query<StoredChange>(
          `SELECT ${changeColumns} FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [position, limit],
        );
        await insertMessages(client, endpointId, await messagesFor(client, endpoint, changes, now), now);
        position = changes.at(-1)?.seq ?? position;
        await client.query('UPDATE webhook_endpoints SET position = $1 WHERE id = $2', [position, endpointId]);
        // Retention waits for what the queue has not sent yet, as for what it has not read.
        const oldest = await client.query<{ seq: number | null }>(
          "SELECT min(seq) AS seq FROM webhook_messages WHERE endpoint_id = $1 AND status = 'pending'",
          [endpointId],
        );
        const oldestPending = oldest.rows[0]?.seq ?? null;
        const held = oldestPending === null ? position : Math.min(position, oldestPending - 1);
        await saveConsumer(client, { name: `webhook:${endpointId}`, position: held, isEnabled: true }, now);
        return changes.length;
      }),
    takeDue: (endpointId, now, limit, leaseMs, perContact = 'earliest', maxBytes = Number.POSITIVE_INFINITY) =>
      inTransaction(pool, async (client) => {
        // Servers taking this endpoint's messages take turns, each seeing the others' leases.
        await client.query('SELECT pg_advisory_xact_lock($1)', [String(lockKeyOf(`webhook-take\u0000${endpointId}`))]);
        const rows = await dueRows(client, endpointId, now, limit, perContact);
        const { rows: changes } = await client.query<StoredChange>(
          `SELECT ${changeColumns} FROM changes WHERE seq = ANY ($1::bigint[])`,
          [rows.map((row) => row.seq)],
        );
        const changeAt = new Map(changes.map((change) => [change.seq, change]));
        const bodies = await storedBodies(client, changes);
        const due: DueMessage[] = [];
        const lost: number[] = [];
        let bytes = 0;
        for (const row of rows) {
          const change = changeAt.get(row.seq);
          if (!change) {
            // Erased since it was queued (erasure removes its messages too), or pruned past a hold.
            lost.push(row.id);
            continue;
          }
          const body =
            change.type === 'event.stored'
              ? payloadTextOf(change, bodies.get(bodyKey(change)) ?? null)
              : payloadTextOf(change);
          // Within the byte budget (one request's), but never none: what is left is taken next time.
          bytes += Buffer.byteLength(body);
          if (due.length > 0 && bytes > maxBytes) break;
          due.push({ id: row.id, webhookId: row.webhook_id, contactId: row.contact_id, attempts: row.attempts, body });
        }
        // A message of a contact erased since (queued by a read of the feed that ran beside the
        // erasure) goes, as the erasure would have taken it; any other lost one is failed, and listed.
        await client.query(
          `DELETE FROM webhook_messages AS m WHERE m.id = ANY ($1::bigint[]) AND m.contact_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM profiles WHERE public_id = m.contact_id)`,
          [lost],
        );
        await client.query(
          `UPDATE webhook_messages SET status = 'failed', last_error = $1, last_attempt_at = $2 WHERE id = ANY ($3::bigint[])`,
          [lostMessageError, now, lost],
        );
        // Only what is still there: an erasure that committed meanwhile took its contact's messages.
        const leasedUntil = now + leaseMs;
        const leased = await client.query<{ id: number }>(
          'UPDATE webhook_messages SET leased_until = $1 WHERE id = ANY ($2::bigint[]) RETURNING id',
          [leasedUntil, due.map((message) => message.id)],
        );
        const kept = new Set(leased.rows.map((row) => row.id));
        for (const id of kept) leases.set(id, leasedUntil);
        return due.filter((message) => kept.has(message.id));
      }),
    async releaseLeases() {
      // Leases here belong to every server: one starting must not end another's (see above).
    },
    async nextDueAt(endpointId, after) {
      const { rows } = await pool.query<{ due: number | null }>(
        `SELECT min(next_attempt_at) AS due FROM webhook_messages
         WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > $2`,
        [endpointId, after],
      );
      return rows[0]?.due ?? null;
    },
    hasDue: (endpointId, now) =>
      inTransaction(pool, async (client) => (await dueRows(client, endpointId, now, 1, 'earliest')).length > 0),
    recordAttempts: (endpointId, attempts) =>
      inTransaction(pool, async (client) => {
        if (attempts.length === 0) return;
        // The endpoint's row first, as remove() locks it before the messages: no waiting in a circle.
        const delivered = attempts.filter((attempt) => attempt.outcome === 'delivered').map((attempt) => attempt.at);
        if (delivered.length > 0) {
          await client.query(
            'UPDATE webhook_endpoints SET last_success_at = GREATEST(coalesce(last_success_at, 0), $1), failing_since = NULL WHERE id = $2',
            [Math.max(...delivered), endpointId],
          );
        } else {
          await client.query('UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $1) WHERE id = $2', [
            Math.min(...attempts.map((attempt) => attempt.at)),
            endpointId,
          ]);
        }
        // Recorded only under the lease this store took: when it ran out and another server took the
        // message, that server's outcome stands.
        await client.query(
          `UPDATE webhook_messages AS m SET status = a.status, attempts = m.attempts + 1,
             next_attempt_at = a.next_attempt_at, leased_until = NULL, last_status = a.last_status,
             last_error = a.last_error, last_snippet = a.last_snippet, last_attempt_at = a.at
           FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::int[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
             AS a (id, status, next_attempt_at, last_status, last_error, last_snippet, at, leased_until)
           WHERE m.id = a.id AND m.endpoint_id = $1 AND m.leased_until IS NOT DISTINCT FROM a.leased_until`,
          [
            endpointId,
            attempts.map((attempt) => attempt.messageId),
            attempts.map((attempt) => statusAfter(attempt.outcome)),
            attempts.map((attempt) => (attempt.outcome === 'retry' ? attempt.nextAttemptAt : null)),
            attempts.map((attempt) => (attempt.status === 0 ? null : attempt.status)),
            attempts.map((attempt) => attempt.error),
            attempts.map((attempt) => attempt.snippet),
            attempts.map((attempt) => attempt.at),
            attempts.map((attempt) => leases.get(attempt.messageId) ?? null),
          ],
        );
        for (const attempt of attempts) leases.delete(attempt.messageId);
      }),
    async pruneDelivered(before, limit) {
      const { rowCount } = await pool.query(
        `DELETE FROM webhook_messages WHERE id IN (SELECT id FROM webhook_messages
           WHERE status = 'delivered' AND last_attempt_at < $1 LIMIT $2)`,
        [before, limit],
      );
      return rowCount ?? 0;
    },
    async messages(endpointId, before, limit) {
      const { rows } = await pool.query<MessageRow>(
        'SELECT * FROM webhook_messages WHERE endpoint_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
        [endpointId, before, limit],
      );
      return rows.map(toMessage);
    },
    replay: (endpointId, from, to, now) =>
      inTransaction(pool, async (client) => {
        const endpoint = await selectEndpoint(client, endpointId, 'FOR UPDATE');
        if (!endpoint) return 0;
        // Changes past the position are still to be read: they are queued by enqueue, once.
        const { rows: changes } = await client.query<StoredChange>(
          `SELECT ${changeColumns} FROM changes WHERE at >= $1 AND at <= $2 AND seq <= $3 ORDER BY seq`,
          [from, to, endpoint.position],
        );
        const messages = await messagesFor(client, endpoint, changes, now);
        await insertMessages(client, endpointId, messages, now);
        return messages.length;
      }),
    async backlog() {
      const { rows } = await pool.query<{
        endpoint_id: string;
        unread: number;
        pending: number;
        oldest: number | null;
      }>(
        `SELECT e.id AS endpoint_id, (SELECT coalesce(max(seq), 0) FROM changes) - e.position AS unread,
           (SELECT count(*)::int FROM webhook_messages AS m WHERE m.endpoint_id = e.id AND m.status = 'pending') AS pending,
           (SELECT min(m.created_at) FROM webhook_messages AS m WHERE m.endpoint_id = e.id AND m.status = 'pending') AS oldest
         FROM webhook_endpoints AS e`,
      );
      return rows.map((row) => ({
        endpointId: row.endpoint_id,
        unread: Number(row.unread),
        pending: row.pending,
        oldestPendingAt: row.oldest,
      }));
    },
  };
}
