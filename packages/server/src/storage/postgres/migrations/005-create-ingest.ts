import { randomBytes } from 'node:crypto';
import type { PostgresMigration } from './types.js';

/**
 * What ingest writes (SQLite's migrations 001, 004, 009 and 015): the events, stored once per
 * source and messageId through a unique index; the identity graph, one owner per identifier through
 * its primary key; the erasure tombstones and suppressions by keyed hash, and the key. Times are
 * epoch milliseconds; traits are JSON text with their stamps beside them, as in SQLite, so that the
 * code that reads and writes them is the same.
 */
export const createIngest: PostgresMigration = {
  version: 5,
  name: 'create events, identity and privacy',
  async up(client) {
    await client.query(`
      CREATE TABLE profiles (
        id               BIGSERIAL PRIMARY KEY,
        public_id        TEXT   NOT NULL UNIQUE,
        -- Set once the profile is absorbed: the live profile it now belongs to (kept current).
        merged_into      BIGINT REFERENCES profiles (id),
        first_seen_at    BIGINT NOT NULL,
        last_seen_at     BIGINT NOT NULL,
        event_count      BIGINT NOT NULL DEFAULT 0,
        merge_count      BIGINT NOT NULL DEFAULT 0,
        identifier_count BIGINT NOT NULL DEFAULT 0,
        traits           TEXT   NOT NULL DEFAULT '{}',
        trait_stamps     TEXT   NOT NULL DEFAULT '{}',
        created_at       BIGINT NOT NULL,
        updated_at       BIGINT NOT NULL
      );
      CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;

      CREATE TABLE identifiers (
        type          TEXT   NOT NULL,
        value         TEXT   NOT NULL,
        profile_id    BIGINT NOT NULL REFERENCES profiles (id),
        first_seen_at BIGINT NOT NULL,
        PRIMARY KEY (type, value)
      );
      CREATE INDEX identifiers_profile ON identifiers (profile_id, type);

      CREATE TABLE merges (
        id          BIGSERIAL PRIMARY KEY,
        survivor_id BIGINT NOT NULL REFERENCES profiles (id),
        absorbed_id BIGINT NOT NULL REFERENCES profiles (id),
        message_id  TEXT   NOT NULL,
        merged_at   BIGINT NOT NULL
      );
      CREATE INDEX merges_survivor ON merges (survivor_id);

      CREATE TABLE companies (
        id            BIGSERIAL PRIMARY KEY,
        group_id      TEXT   COLLATE "C" NOT NULL UNIQUE,
        traits        TEXT   NOT NULL DEFAULT '{}',
        trait_stamps  TEXT   NOT NULL DEFAULT '{}',
        first_seen_at BIGINT NOT NULL,
        last_seen_at  BIGINT NOT NULL
      );
      CREATE TABLE profile_companies (
        profile_id BIGINT NOT NULL REFERENCES profiles (id),
        company_id BIGINT NOT NULL REFERENCES companies (id),
        PRIMARY KEY (profile_id, company_id)
      );
      CREATE INDEX profile_companies_company ON profile_companies (company_id, profile_id);
      CREATE INDEX companies_last_seen ON companies (last_seen_at, id);

      CREATE TABLE events (
        id           BIGSERIAL PRIMARY KEY,
        source       TEXT   NOT NULL,
        type         TEXT   NOT NULL,
        message_id   TEXT   NOT NULL,
        user_id      TEXT,
        anonymous_id TEXT,
        event        TEXT,
        timestamp    BIGINT NOT NULL,
        received_at  BIGINT NOT NULL,
        body         TEXT   NOT NULL,
        profile_id   BIGINT
      );
      CREATE UNIQUE INDEX events_source_message_id ON events (source, message_id);
      CREATE INDEX events_profile_timeline ON events (profile_id, timestamp) WHERE profile_id IS NOT NULL;

      CREATE TABLE server_secrets (
        name  TEXT  PRIMARY KEY,
        value BYTEA NOT NULL
      );
      CREATE TABLE erasures (
        identifier_hash TEXT   PRIMARY KEY,
        erased_at       BIGINT NOT NULL
      );
      CREATE TABLE suppressions (
        id              BIGSERIAL PRIMARY KEY,
        identifier_hash TEXT   NOT NULL UNIQUE,
        type            TEXT   NOT NULL,
        suppressed_at   BIGINT NOT NULL
      );
    `);
    // The keys of erasure's hashes and of cursors' MACs: made here, kept with the data.
    await client.query(
      "INSERT INTO server_secrets (name, value) VALUES ('identifier_hash_key', $1), ('cursor_key', $2)",
      [randomBytes(32), randomBytes(32)],
    );
  },
};
