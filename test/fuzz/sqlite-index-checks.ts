import { expect, it } from 'vitest';
import { contactTextDrift, traitIndexDrift } from '../../packages/server/src/testing/index-drift.js';
import { type EngineTestApp, testEngine } from '../../packages/server/src/testing/test-app.js';

/**
 * After a fuzz suite, on SQLite: its own indexes in step with the contacts they index. PostgreSQL
 * has neither (its search reads the traits themselves), so there the checks are skipped.
 */
export function checkSqliteIndexes(app: () => Pick<EngineTestApp, 'sqlite'>): void {
  const db = () => {
    const handle = app().sqlite;
    if (!handle) throw new Error('no SQLite handle');
    return handle;
  };
  it.runIf(testEngine === 'sqlite')(
    "keeps the trait index in step with every live profile's traits and last-seen day",
    () => {
      expect(db().prepare('SELECT count(*) FROM profile_trait_values').pluck().get()).toBeGreaterThan(0);
      expect(traitIndexDrift(db())).toEqual({ missing: [], extra: [] });
    },
  );

  it.runIf(testEngine === 'sqlite')("keeps the trigram index in step with every live contact's email and name", () => {
    expect(contactTextDrift(db())).toEqual({ missing: [], extra: [] });
  });
}
