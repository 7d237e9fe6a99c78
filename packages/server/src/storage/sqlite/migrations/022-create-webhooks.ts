import type { Migration } from './types.js';

export const createWebhooks: Migration = {
  version: 22,
  name: 'create webhooks',
  up(db) {
    db.exec(`
      -- Webhook endpoints (webhooks/webhook-store.ts). types and filters: JSON, as the API took them.
      -- secrets: JSON [[secret, expiresAt | null], …], newest first (rotation keeps the old one a while).
      -- position: the change seq its queue has read up to (its durable cursor).
      CREATE TABLE webhook_endpoints (
        id              TEXT    PRIMARY KEY,
        url             TEXT    NOT NULL,
        description     TEXT,
        types           TEXT    NOT NULL,
        filters         TEXT    NOT NULL,
        secrets         TEXT    NOT NULL,
        is_enabled      INTEGER NOT NULL,
        disabled_reason TEXT,
        max_per_second  INTEGER,
        position        INTEGER NOT NULL,
        last_success_at INTEGER,
        failing_since   INTEGER,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );

      -- Each endpoint's queue: one row per change it is sent, with the body as sent and where its
      -- delivery stands. status: pending (next_attempt_at: when it is due; while an attempt is in
      -- flight, when its lease ends), delivered, failed (retries spent), gap (a stretch the feed no
      -- longer held: body says which). contact_id orders a contact's messages and lets erasure find them.
      CREATE TABLE webhook_messages (
        id              INTEGER PRIMARY KEY,
        endpoint_id     TEXT    NOT NULL,
        webhook_id      TEXT    NOT NULL,
        seq             INTEGER NOT NULL,
        contact_id      TEXT,
        type            TEXT    NOT NULL,
        body            TEXT    NOT NULL,
        status          TEXT    NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_status     INTEGER,
        last_error      TEXT,
        last_snippet    TEXT,
        last_attempt_at INTEGER,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, id);
      CREATE INDEX webhook_messages_due ON webhook_messages (endpoint_id, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_messages_contact_queue ON webhook_messages (endpoint_id, contact_id, id)
        WHERE status = 'pending';
      CREATE INDEX webhook_messages_contact ON webhook_messages (contact_id) WHERE contact_id IS NOT NULL;
    `);
  },
};
