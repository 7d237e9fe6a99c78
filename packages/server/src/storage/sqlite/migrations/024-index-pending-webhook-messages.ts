import type { Migration } from './types.js';

export const indexPendingWebhookMessages: Migration = {
  version: 24,
  name: 'index pending webhook messages',
  up(db) {
    db.exec(`
      -- A pending message's body is made from the feed when it is sent, so the feed's retention
      -- holds back for the oldest pending change of each endpoint: found here.
      CREATE INDEX webhook_messages_pending_seq ON webhook_messages (endpoint_id, seq) WHERE status = 'pending';
    `);
  },
};
