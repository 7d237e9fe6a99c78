import type { Migration } from './types.js';

export const indexProfileTimeline: Migration = {
  version: 3,
  name: 'index profile timeline',
  up(db) {
    // A profile's timeline is read by userId or by anonymousId, newest first.
    db.exec(`
      CREATE INDEX events_user_timeline ON events (source, user_id, timestamp) WHERE user_id IS NOT NULL;
      CREATE INDEX events_anonymous_timeline ON events (source, anonymous_id, timestamp) WHERE anonymous_id IS NOT NULL;
    `);
  },
};
