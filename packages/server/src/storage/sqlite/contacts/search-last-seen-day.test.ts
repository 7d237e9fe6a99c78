import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { traitIndexDrift } from '../../../testing/index-drift.js';
import { insertRawProfile } from '../../../testing/raw-profile.js';
import { migrate } from '../migrate.js';
import { addTraitValueDays } from '../migrations/012-add-trait-value-days.js';
import { migrations } from '../migrations/index.js';
import { openDatabase, type SqliteDatabase } from '../open-database.js';
import { compileFilters } from './search-filters.js';
import { liveIdsSql, matchingIdsInSetSql } from './search-sql.js';

// Migration 012 keeps, on each row of the trait index, the day of its profile's last_seen_at, and
// `traits.X eq` with a lastSeenAt comparison is judged on those rows, reading a profile only on the
// value's own day. These tests hold that to the times themselves, at the edges of days (before
// 1970 too, where integer division rounds towards zero), and hold the days to the profiles through
// everything that moves them.

const day = 86_400_000;
const inStep = { missing: [], extra: [] };
let db: SqliteDatabase;

function addProfile(lastSeenAt: number, traits: Record<string, unknown> = { plan: 'pro' }): number {
  const columns = { first_seen_at: lastSeenAt, last_seen_at: lastSeenAt, created_at: 1, updated_at: 1 };
  return insertRawProfile(db, { ...columns, traits: JSON.stringify(traits) });
}

/** The ids `traits.plan eq pro` and `lastSeenAt <op> at` match: from the index rows, and from each profile. */
function matching(op: string, at: number) {
  const filters = compileFilters([
    { field: 'traits.plan', op: 'eq', value: 'pro' },
    { field: 'lastSeenAt', op, value: new Date(at).toISOString() },
  ]);
  const set = filters.liveIdSets[0] as string;
  const run = (sql: string) =>
    (
      db
        .prepare(sql)
        .pluck()
        .all({ ...filters.params, cap: 10_000 }) as number[]
    ).sort((a, b) => a - b);
  const live = filters.liveBesides(0);
  return {
    fromIndex: live ? run(liveIdsSql(set, live)) : undefined,
    fromProfiles: run(matchingIdsInSetSql(set, filters.besides(0))),
  };
}

const edges = (midnight: number) => [midnight - day, midnight - 1, midnight, midnight + 1, midnight + day / 2];
const times = [...edges(-day), ...edges(0), ...edges(20_000 * day), ...edges(20_001 * day)];

beforeEach(() => {
  db = openDatabase(':memory:');
});

describe('traits.X eq with a lastSeenAt comparison, judged on the trait index', () => {
  it('matches what each profile says, for every op and every time at the edges of days', () => {
    const seen = new Map(times.map((at) => [addProfile(at), at]));
    addProfile(times[3] as number, { plan: 'free' });
    const compare: Record<string, (a: number, b: number) => boolean> = {
      eq: (a, b) => a === b,
      gt: (a, b) => a > b,
      gte: (a, b) => a >= b,
      lt: (a, b) => a < b,
      lte: (a, b) => a <= b,
    };
    for (const [op, holds] of Object.entries(compare)) {
      for (const at of times) {
        const expected = [...seen].filter(([, lastSeen]) => holds(lastSeen, at)).map(([id]) => id);
        const { fromIndex, fromProfiles } = matching(op, at);
        expect({ op, at, ids: fromIndex }).toEqual({ op, at, ids: expected });
        expect({ op, at, ids: fromProfiles }).toEqual({ op, at, ids: expected });
      }
    }
  });

  it('leaves the ops it cannot judge by day to each profile', () => {
    addProfile(0);
    expect(matching('neq', 1).fromIndex).toBeUndefined();
    expect(matching('neq', 1).fromProfiles).toEqual([1]);
  });
});

describe("the trait index's days", () => {
  it('follow last_seen_at through events, trait changes, merges, unmerges and deletes', () => {
    const a = addProfile(10 * day + 5);
    const b = addProfile(10 * day + 6, { plan: 'pro', seats: 3 });
    const c = addProfile(3 * day, { plan: 'free', seats: 3 });
    const seen = db.prepare('UPDATE profiles SET last_seen_at = ? WHERE id = ?');
    seen.run(10 * day + 100, a); // the same day
    seen.run(12 * day, b); // a later day
    seen.run(-day - 1, c); // an earlier one, before 1970
    expect(traitIndexDrift(db)).toEqual(inStep);

    // Traits and day in one statement: a kept value and a new one both end on the new day.
    db.prepare('UPDATE profiles SET traits = ?, last_seen_at = ? WHERE id = ?').run(
      JSON.stringify({ plan: 'pro', seats: 4 }),
      15 * day,
      b,
    );
    expect(traitIndexDrift(db)).toEqual(inStep);
    expect(db.prepare('SELECT count(*) FROM profile_trait_values WHERE profile_id = ?').pluck().get(b)).toBe(2);

    // Merged away, then its day moves, then revived: it comes back on its current day.
    db.prepare('UPDATE profiles SET merged_into = ? WHERE id = ?').run(b, c);
    seen.run(20 * day, c);
    db.prepare('UPDATE profiles SET merged_into = NULL WHERE id = ?').run(c);
    expect(traitIndexDrift(db)).toEqual(inStep);
    expect(matching('gte', 20 * day).fromIndex).toEqual([]);
    expect(matching('gte', 15 * day).fromIndex).toEqual([b]);

    db.prepare('DELETE FROM profiles WHERE id = ?').run(a);
    expect(matching('gte', 0).fromIndex).toEqual([b]);
    expect(traitIndexDrift(db)).toEqual(inStep);
  });

  it('are filled, on migration, from the profiles a database already held', () => {
    db = new Database(':memory:');
    migrate(db, migrations.slice(0, addTraitValueDays.version - 1));
    addProfile(7 * day + 1);
    addProfile(-1, { plan: 'pro', seats: 2 });
    migrate(db);
    expect(db.prepare('SELECT count(*) FROM profile_trait_values WHERE last_seen_day IS NULL').pluck().get()).toBe(0);
    expect(traitIndexDrift(db)).toEqual(inStep);
    expect(matching('gte', 7 * day).fromIndex).toEqual([1]);
  });
});
