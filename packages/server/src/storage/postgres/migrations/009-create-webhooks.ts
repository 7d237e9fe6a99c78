import type { PostgresMigration } from './types.js';

/**
 * The feed's retention bookkeeping (SQLite's migration 016) and the webhook queues (SQLite's 022–024).
 * A message's lease (`leased_until`) is in the table here, not in a process's memory: any server
 * may take an endpoint's due messages, and each must see what another has in flight.
 */
export const createWebhooks: PostgresMigration = {
  version: 9,
  name: 'create webhooks',
  async up(client) {
    await client.query(`
      -- What pruning has removed: 'events' (event.stored) or 'contacts' (every other type), the highest seq.
      CREATE TABLE change_horizons (
        name  TEXT   PRIMARY KEY,
        value BIGINT NOT NULL
      );
      INSERT INTO change_horizons (name, value) VALUES ('events', 0), ('contacts', 0);
      -- Consumers that pruning waits for (webhook endpoints), up to a maximum age.
      CREATE TABLE change_consumers (
        name       TEXT    PRIMARY KEY,
        position   BIGINT  NOT NULL,
        is_enabled BOOLEAN NOT NULL,
        updated_at BIGINT  NOT NULL
      );

      CREATE TABLE webhook_endpoints (
        id                TEXT    PRIMARY KEY,
        url               TEXT    NOT NULL,
        description       TEXT,
        types             TEXT    NOT NULL,
        filters           TEXT    NOT NULL,
        secrets           TEXT    NOT NULL,
        is_enabled        BOOLEAN NOT NULL,
        disabled_reason   TEXT,
        max_per_second    INTEGER,
        format            TEXT    NOT NULL DEFAULT 'standard',
        forward_write_key TEXT,
        consent_category  TEXT,
        position          BIGINT  NOT NULL,
        last_success_at   BIGINT,
        failing_since     BIGINT,
        created_at        BIGINT  NOT NULL,
        updated_at        BIGINT  NOT NULL
      );
      CREATE TABLE webhook_messages (
        id              BIGSERIAL PRIMARY KEY,
        endpoint_id     TEXT    NOT NULL,
        webhook_id      TEXT    NOT NULL,
        seq             BIGINT  NOT NULL,
        contact_id      TEXT,
        type            TEXT    NOT NULL,
        body            TEXT    NOT NULL,
        status          TEXT    NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT,
        leased_until    BIGINT,
        last_status     INTEGER,
        last_error      TEXT,
        last_snippet    TEXT,
        last_attempt_at BIGINT,
        created_at      BIGINT  NOT NULL
      );
      CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, id);
      CREATE INDEX webhook_messages_due ON webhook_messages (endpoint_id, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_messages_contact_queue ON webhook_messages (endpoint_id, contact_id, id)
        WHERE status = 'pending';
      CREATE INDEX webhook_messages_contact ON webhook_messages (contact_id) WHERE contact_id IS NOT NULL;
      CREATE INDEX webhook_messages_pending_seq ON webhook_messages (endpoint_id, seq) WHERE status = 'pending';
    `);
  },
};
