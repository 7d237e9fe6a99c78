import type { Migration } from './types.js';

/**
 * Migration 003's per-userId and per-anonymousId timelines of events: no query has read them since
 * identity resolution (004) gave each event its profile and the timeline became per profile
 * (events_profile_timeline). Each still cost every stored event two index entries at random places.
 */
export const dropUnusedEventIndexes: Migration = {
  version: 19,
  name: 'drop unused event indexes',
  up(db) {
    db.exec(`
      DROP INDEX events_user_timeline;
      DROP INDEX events_anonymous_timeline;
    `);
  },
};
