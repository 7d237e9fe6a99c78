import type { Migration } from './types.js';

export const indexContactNames: Migration = {
  version: 11,
  name: 'index contact names',
  up(db) {
    db.exec(`
      -- GET /v1/contacts?q= is a prefix of the email or the name, ASCII case ignored. contact_email
      -- is stored lower-cased, so its index serves it as a range; this index does the same for the
      -- name. Written only when a name changes (contact_name follows the traits, not every event).
      CREATE INDEX profiles_live_name ON profiles (lower(contact_name), id) WHERE merged_into IS NULL;
    `);
  },
};
