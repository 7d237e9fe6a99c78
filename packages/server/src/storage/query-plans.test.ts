import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';

/** The plan SQLite picks for `sql` (with its parameters bound to placeholders), one line per step. */
function planOf(db: ReturnType<typeof openDatabase>, sql: string, ...params: unknown[]): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((row) => row.detail);
}

/** The statements a trigger runs, with NEW.* and OLD.* bound to 1, as the planner sees them. */
function triggerBody(db: ReturnType<typeof openDatabase>, name: string): string {
  const sql = db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string;
  return sql
    .slice(sql.indexOf('BEGIN') + 5, sql.lastIndexOf('END'))
    .replace(/\b(NEW|OLD)\.\w+/g, '1')
    .trim()
    .replace(/;$/, '');
}

// Without table statistics SQLite once answered a per-event subquery by scanning every email
// identifier, making ingest four times slower. These plans run on every ingested event.
describe('query plans on the ingest path', () => {
  const db = openDatabase(':memory:');

  it.each([
    'profiles_contact_keys_on_traits',
    'profiles_contact_keys_on_new_email',
    'profiles_contact_keys_on_moved_email',
  ])('trigger %s looks identifiers up by profile, never by type alone', (trigger) => {
    const plan = planOf(db, triggerBody(db, trigger));
    expect(plan.some((step) => step.includes('identifiers USING INDEX identifiers_profile'))).toBe(true);
    expect(plan.filter((step) => /^SCAN/.test(step))).toEqual([]);
    expect(plan.some((step) => /identifiers USING PRIMARY KEY \(type=\?\)$/.test(step))).toBe(false);
  });

  it.each([
    ['the owner of an identifier', 'SELECT profile_id FROM identifiers WHERE type = ? AND value = ?', ['email', 'x']],
    [
      'identifier counts of a profile',
      'SELECT type, count(*) FROM identifiers WHERE profile_id = ? GROUP BY type',
      [1],
    ],
    ['a profile by id', 'SELECT * FROM profiles WHERE id = ?', [1]],
    ['the event a step updates', 'UPDATE events SET profile_id = ? WHERE source = ? AND message_id = ?', [1, 's', 'm']],
  ])('%s is found through an index', (_what, sql, params) => {
    expect(planOf(db, sql, ...params).filter((step) => /^SCAN/.test(step))).toEqual([]);
  });
});
