import type { PostgresMigration } from './types.js';

/**
 * Audiences and computed traits (SQLite's migrations 020, 021 and 028), and the version of their
 * definitions that every server's ingest checks (audiences/postgres-audience-registry.ts). Member
 * counts are counted at read from an index, not kept by a trigger: one counter row per audience
 * would make every entry, on every server, wait for the row lock of the others' transactions.
 */
export const createAudiences: PostgresMigration = {
  version: 10,
  name: 'create audiences',
  async up(client) {
    await client.query(`
      -- phase: backfilling (its metrics are counting stored events), evaluating (every live contact
      -- is being evaluated, after position), ready. seq orders definitions made in one millisecond.
      CREATE TABLE audiences (
        id          TEXT    PRIMARY KEY,
        seq         BIGSERIAL,
        name        TEXT    NOT NULL,
        description TEXT,
        rule        TEXT    NOT NULL,
        phase       TEXT    NOT NULL,
        position    BIGINT  NOT NULL DEFAULT 0,
        created_at  BIGINT  NOT NULL,
        updated_at  BIGINT  NOT NULL
      );
      CREATE TABLE computed_traits (
        id          TEXT    PRIMARY KEY,
        name        TEXT    NOT NULL UNIQUE,
        description TEXT,
        calculation TEXT    NOT NULL,
        phase       TEXT    NOT NULL,
        position    BIGINT  NOT NULL DEFAULT 0,
        created_at  BIGINT  NOT NULL,
        updated_at  BIGINT  NOT NULL
      );
      -- Events stored before a metric existed, up to high_water (an events.id), are counted by its
      -- backfill, which has reached position; ingest counts the rest. The high-water mark is read
      -- under the definitions' exclusive lock, when no ingest transaction is open.
      CREATE TABLE audience_metrics (
        key        TEXT    PRIMARY KEY,
        event      TEXT    NOT NULL,
        high_water BIGINT  NOT NULL,
        position   BIGINT  NOT NULL,
        is_ready   BOOLEAN NOT NULL
      );
      -- One row: bumped in every transaction that changes a definition or a phase.
      CREATE TABLE audience_definitions_version (
        only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
        version  BIGINT  NOT NULL
      );
      INSERT INTO audience_definitions_version (version) VALUES (0);

      -- What audiences keep per live contact (audiences/audience-state.ts), written under the
      -- profile's row lock.
      CREATE TABLE audience_profiles (
        profile_id BIGINT PRIMARY KEY,
        hours      TEXT   NOT NULL,
        members    TEXT   NOT NULL,
        computed   TEXT   NOT NULL DEFAULT '{}',
        due_at     BIGINT,
        seen_at    BIGINT
      );
      CREATE INDEX audience_profiles_due ON audience_profiles (due_at) WHERE due_at IS NOT NULL;
      CREATE TABLE audience_members (
        audience_id TEXT    NOT NULL,
        profile_id  BIGINT  NOT NULL,
        entered_at  BIGINT  NOT NULL,
        is_backfill BOOLEAN NOT NULL,
        PRIMARY KEY (audience_id, profile_id)
      );
      CREATE INDEX audience_members_profile ON audience_members (profile_id);
    `);
  },
};
