import type { Migration } from './types.js';

export const addWebhookForwarding: Migration = {
  version: 23,
  name: 'add webhook forwarding and leases',
  up(db) {
    db.exec(`
      -- format: standard (Standard Webhooks, one change per request) or segment (stored events as
      -- Segment /v1/batch bodies, to any Segment-compatible receiver). forward_write_key: the
      -- receiver's write key, sent as Basic auth with the segment format; never shown back.
      -- consent_category: events whose context.consent does not grant it are not forwarded.
      ALTER TABLE webhook_endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'standard';
      ALTER TABLE webhook_endpoints ADD COLUMN forward_write_key TEXT;
      ALTER TABLE webhook_endpoints ADD COLUMN consent_category TEXT;

      -- While an attempt is in flight its message is leased until then; a server that starts
      -- clears every lease (the attempts of a process that died are made again at once).
      ALTER TABLE webhook_messages ADD COLUMN leased_until INTEGER;
    `);
  },
};
