import type { WebhookStore } from '../../../webhooks/webhook-store.js';
import type { PostgresPool } from '../postgres-pool.js';
import { createPostgresWebhookEndpoints } from './postgres-webhook-endpoints.js';
import { createPostgresWebhookQueues } from './postgres-webhook-queues.js';

/**
 * WebhookStore on PostgreSQL (SQLite's: storage/sqlite/webhooks/sqlite-webhook-store.ts), for several
 * servers delivering at once:
 * - reading the feed into an endpoint's queue (enqueue, replay) holds the endpoint's row lock, so two
 *   servers never queue one change twice;
 * - taking due messages holds an advisory lock per endpoint for its short transaction, and leases
 *   what it takes in the table (`leased_until`), so no other server takes a message in flight, or
 *   a contact's later message while an earlier one is in flight;
 * - a lease lapses at its end: a server that starts does not end the leases of others, so the
 *   attempts a dead server left in flight are made again when their leases end (a minute), not at once.
 */
export function createPostgresWebhookStore(pool: PostgresPool): WebhookStore {
  return { ...createPostgresWebhookEndpoints(pool), ...createPostgresWebhookQueues(pool) };
}
