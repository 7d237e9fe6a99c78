import type { Migration } from './types.js';

export const createIdentity: Migration = {
  version: 4,
  name: 'create identity graph',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        id               INTEGER PRIMARY KEY,
        -- Set once the profile is absorbed: the live profile it now belongs to (kept current).
        merged_into      INTEGER REFERENCES profiles (id),
        first_seen_at    INTEGER NOT NULL,
        last_seen_at     INTEGER NOT NULL,
        event_count      INTEGER NOT NULL DEFAULT 0,
        merge_count      INTEGER NOT NULL DEFAULT 0,
        identifier_count INTEGER NOT NULL DEFAULT 0,
        -- Plain values, for reading and filtering; trait_stamps holds [timestamp, messageId] per key.
        traits           TEXT    NOT NULL DEFAULT '{}',
        trait_stamps     TEXT    NOT NULL DEFAULT '{}',
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL
      );
      CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;

      -- Each identifier belongs to exactly one live profile: the unique key is what stops two
      -- concurrent requests from creating two profiles for one person.
      CREATE TABLE identifiers (
        type          TEXT    NOT NULL,
        value         TEXT    NOT NULL,
        profile_id    INTEGER NOT NULL REFERENCES profiles (id),
        first_seen_at INTEGER NOT NULL,
        PRIMARY KEY (type, value)
      ) WITHOUT ROWID;
      CREATE INDEX identifiers_profile ON identifiers (profile_id, type);

      CREATE TABLE merges (
        id          INTEGER PRIMARY KEY,
        survivor_id INTEGER NOT NULL REFERENCES profiles (id),
        absorbed_id INTEGER NOT NULL REFERENCES profiles (id),
        message_id  TEXT    NOT NULL,
        merged_at   INTEGER NOT NULL
      );
      CREATE INDEX merges_survivor ON merges (survivor_id);

      CREATE TABLE companies (
        id            INTEGER PRIMARY KEY,
        group_id      TEXT    NOT NULL UNIQUE,
        traits        TEXT    NOT NULL DEFAULT '{}',
        trait_stamps  TEXT    NOT NULL DEFAULT '{}',
        first_seen_at INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL
      );
      CREATE TABLE profile_companies (
        profile_id INTEGER NOT NULL REFERENCES profiles (id),
        company_id INTEGER NOT NULL REFERENCES companies (id),
        PRIMARY KEY (profile_id, company_id)
      ) WITHOUT ROWID;

      -- The profile an event was attached to when it arrived; merged-away ids lead on via merged_into.
      ALTER TABLE events ADD COLUMN profile_id INTEGER;
      CREATE INDEX events_profile_timeline ON events (profile_id, timestamp) WHERE profile_id IS NOT NULL;
    `);
  },
};
