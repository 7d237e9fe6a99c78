import type { PostgresMigration } from './types.js';

/** What erasure and export find by profile, found by index (SQLite's migrations 009 and 016 have the same). */
export const indexErasure: PostgresMigration = {
  version: 8,
  name: 'index erasure',
  async up(client) {
    await client.query(`
      CREATE INDEX changes_profile ON changes (profile_id) WHERE profile_id IS NOT NULL;
      CREATE INDEX manual_edits_profile ON manual_edits (profile_id, id);
    `);
  },
};
