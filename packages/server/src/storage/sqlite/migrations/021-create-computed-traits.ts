import type { Migration } from './types.js';

export const createComputedTraits: Migration = {
  version: 21,
  name: 'create computed traits',
  up(db) {
    db.exec(`
      -- Computed trait definitions (audiences/computed-trait.ts): the calculation as its author sent
      -- it. Phases as audiences': backfilling (its metric is counting stored events), evaluating
      -- (every live contact's value is being worked out, after position), ready.
      CREATE TABLE computed_traits (
        id          TEXT    PRIMARY KEY,
        name        TEXT    NOT NULL UNIQUE,
        description TEXT,
        calculation TEXT    NOT NULL,
        phase       TEXT    NOT NULL,
        position    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );

      -- Each contact's computed values (JSON {name: value}), kept with the per-hour states they are
      -- worked out from (hours); a value a trait has with no events (0, or none) is left out.
      ALTER TABLE audience_profiles ADD COLUMN computed TEXT NOT NULL DEFAULT '{}';
    `);
  },
};
