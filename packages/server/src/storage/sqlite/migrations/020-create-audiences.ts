import type { Migration } from './types.js';

export const createAudiences: Migration = {
  version: 20,
  name: 'create audiences',
  up(db) {
    db.exec(`
      -- Audience definitions (audiences/audience-rule.ts): the rule as its author sent it.
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
      ) WITHOUT ROWID;

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

      -- Per profile and metric, the events counted per hour: JSON [[hour, count], …]. Rows of a
      -- profile merged away stay under its id and are read with its survivor's.
      CREATE TABLE audience_hours (
        profile_id INTEGER NOT NULL,
        metric     TEXT    NOT NULL,
        hours      TEXT    NOT NULL,
        PRIMARY KEY (profile_id, metric)
      ) WITHOUT ROWID;

      CREATE TABLE audience_members (
        audience_id TEXT    NOT NULL,
        profile_id  INTEGER NOT NULL,
        entered_at  INTEGER NOT NULL,
        is_backfill INTEGER NOT NULL,
        PRIMARY KEY (audience_id, profile_id)
      ) WITHOUT ROWID;
      CREATE INDEX audience_members_profile ON audience_members (profile_id);

      -- When time alone next changes one of a contact's answers (a window edge): the sweeper's list.
      CREATE TABLE audience_due (
        profile_id INTEGER PRIMARY KEY,
        due_at     INTEGER NOT NULL
      );
      CREATE INDEX audience_due_at ON audience_due (due_at);
    `);
  },
};
