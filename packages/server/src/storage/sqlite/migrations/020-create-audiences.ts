import type { Migration } from './types.js';

export const createAudiences: Migration = {
  version: 20,
  name: 'create audiences',
  up(db) {
    db.exec(`
      -- Audience definitions (audiences/audience-rule.ts): the rule as its author sent it. A rowid
      -- table: rowid orders audiences made in the same millisecond as they were made.
      -- phase: backfilling (its metrics are counting stored events), evaluating (every contact is
      -- being evaluated, after position), ready.
      CREATE TABLE audiences (
        id          TEXT    PRIMARY KEY,
        name        TEXT    NOT NULL,
        description TEXT,
        rule        TEXT    NOT NULL,
        phase       TEXT    NOT NULL,
        position    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );

      -- Each metric (an event name and its where tests, audiences/event-metric.ts) counts events
      -- stored after it was defined as they arrive; those stored before, up to high_water (an
      -- events.id), are counted by a backfill, which has reached position.
      CREATE TABLE audience_metrics (
        key        TEXT    PRIMARY KEY,
        event      TEXT    NOT NULL,
        high_water INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        is_ready   INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- What audiences keep per live contact, read and written once per evaluation: hours, per
      -- metric the events counted per hour (JSON {key: [[hour, count], …]}, its absorbed contacts'
      -- folded in at the merge); members (JSON {audienceId: [enteredAt, isBackfill]}); due_at, when
      -- time alone next changes one of its answers (the sweeper's list).
      CREATE TABLE audience_profiles (
        profile_id INTEGER PRIMARY KEY,
        hours      TEXT    NOT NULL,
        members    TEXT    NOT NULL,
        due_at     INTEGER,
        -- The contact's lastSeenAt when this record was last written: an event that moves lastSeenAt
        -- evaluates an audience testing it only if a test answers differently for the two.
        seen_at    INTEGER
      );
      CREATE INDEX audience_profiles_due ON audience_profiles (due_at) WHERE due_at IS NOT NULL;

      -- The same memberships by audience, for its members page and counts.
      CREATE TABLE audience_members (
        audience_id TEXT    NOT NULL,
        profile_id  INTEGER NOT NULL,
        entered_at  INTEGER NOT NULL,
        is_backfill INTEGER NOT NULL,
        PRIMARY KEY (audience_id, profile_id)
      ) WITHOUT ROWID;
      CREATE INDEX audience_members_profile ON audience_members (profile_id);
    `);
  },
};
