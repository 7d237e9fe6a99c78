import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertRawProfile } from '../../../testing/raw-profile.js';
import { migrate } from '../migrate.js';
import { indexTraitValues } from '../migrations/010-index-trait-values.js';
import { migrations } from '../migrations/index.js';
import { openDatabase, type SqliteDatabase } from '../open-database.js';
import { keysetSql } from './contact-queries.js';
import { compileFilters } from './search-filters.js';
import { liveCountSql } from './search-sql.js';

// traits.<name> eq reads profile_trait_values (migration 010), kept current by triggers. These
// tests hold both SQL forms of that filter to what the traits themselves say, through inserts,
// edits, merges and deletes.

type Traits = Record<string, unknown>;
let db: SqliteDatabase;
let traitsById: Map<number, Traits>;
let mergedAway: Set<number>;

function addProfile(traits: Traits): number {
  const id = insertRawProfile(db, {
    first_seen_at: 1,
    last_seen_at: traitsById.size + 1,
    created_at: 1,
    updated_at: 1,
    traits: JSON.stringify(traits),
  });
  traitsById.set(id, traits);
  return id;
}

function setTraits(id: number, traits: Traits): void {
  db.prepare('UPDATE profiles SET traits = ? WHERE id = ?').run(JSON.stringify(traits), id);
  traitsById.set(id, traits);
}

/** The ids each SQL form of `traits.<name> eq value` answers, and what the traits say. */
function matches(name: string, value: string | number) {
  const filters = compileFilters([{ field: `traits.${name}`, op: 'eq', value }]);
  const run = (conditions: readonly string[]) =>
    (db.prepare(keysetSql('lastSeenAt', false, conditions)).all({ ...filters.params, limit: 1000 }) as { id: number }[])
      .map((row) => row.id)
      .sort((a, b) => a - b);
  const expected = [...traitsById]
    .filter(([id, traits]) => !mergedAway.has(id) && typeof traits[name] === typeof value && traits[name] === value)
    .map(([id]) => id)
    .sort((a, b) => a - b);
  return { indexed: run(filters.conditions), probed: run(filters.probeConditions), expected };
}

const values: [string, string | number][] = [
  ['plan', 'pro'],
  ['plan', 'free'],
  ['seats', 5],
  ['seats', '5'],
  ['seats', 1],
  ['ratio', 0.5],
  ['note', 'x'.repeat(500)],
];

function expectAllAgree(): void {
  for (const [name, value] of values) {
    const { indexed, probed, expected } = matches(name, value);
    expect({ name, value, ids: indexed }).toEqual({ name, value, ids: expected });
    expect({ name, value, ids: probed }).toEqual({ name, value, ids: expected });
  }
}

beforeEach(() => {
  db = openDatabase(':memory:');
  traitsById = new Map();
  mergedAway = new Set();
  addProfile({ plan: 'pro', seats: 5, ratio: 0.5 });
  addProfile({ plan: 'pro', seats: '5', note: 'x'.repeat(500) });
  addProfile({ plan: 'free', seats: 5.0, beta: true });
  addProfile({ plan: { tier: 'pro' }, seats: true, note: 'x'.repeat(501) });
  addProfile({});
});

describe('traits.<name> eq through the trait index', () => {
  it('matches the type as well as the value: text "5" is not 5, and true is not 1', () => {
    setTraits(5, { seats: 1, beta: true });
    addProfile({ seats: true });
    expectAllAgree();
    expect(matches('seats', 5).indexed).toEqual([1, 3]);
    expect(matches('seats', 1).indexed).toEqual([5]);
  });

  it('counts contacts matching several trait eqs from the index, whichever set leads', () => {
    addProfile({ plan: 'pro', seats: 5 });
    const filters = compileFilters([
      { field: 'traits.plan', op: 'eq', value: 'pro' },
      { field: 'traits.seats', op: 'eq', value: 5 },
    ]);
    const counts = [0, 1].map(
      (driver) =>
        (
          db
            .prepare(liveCountSql(filters.liveIdSets[driver] as string, filters.liveBesides(driver) ?? []))
            .get({ ...filters.params, cap: 100 }) as { n: number }
        ).n,
    );
    expect(counts).toEqual([2, 2]);
  });

  it('follows a trait that changes value or type, and one that is removed', () => {
    setTraits(1, { plan: 'free', seats: '5', ratio: 0.5 });
    setTraits(2, { seats: 5 });
    setTraits(3, { plan: 'free', seats: 5.5 });
    setTraits(5, { seats: 1 });
    expectAllAgree();
    // true reads as 1 in json_each: the number must go although the value looks the same.
    setTraits(5, { seats: true });
    expectAllAgree();
    expect(matches('plan', 'pro').indexed).toEqual([]);
  });

  it('forgets a profile once it is merged away or deleted, and finds it again if revived', () => {
    db.prepare('UPDATE profiles SET merged_into = 3 WHERE id = 1').run();
    mergedAway.add(1);
    db.prepare('DELETE FROM profiles WHERE id = 2').run();
    traitsById.delete(2);
    expectAllAgree();
    expect(db.prepare('SELECT count(*) FROM profile_trait_values WHERE profile_id IN (1, 2)').pluck().get()).toBe(0);

    db.prepare('UPDATE profiles SET merged_into = NULL WHERE id = 1').run();
    mergedAway.delete(1);
    expectAllAgree();
  });

  it('is filled, on migration, from the profiles a database already held', () => {
    const before = new Database(':memory:');
    migrate(before, migrations.slice(0, indexTraitValues.version - 1));
    db = before;
    traitsById = new Map();
    addProfile({ plan: 'pro', seats: 5 });
    addProfile({ plan: 'pro', seats: '5', note: 'x'.repeat(500) });
    addProfile({ plan: 'free', ratio: 0.5 });
    db.prepare('UPDATE profiles SET merged_into = 3 WHERE id = 2').run();
    mergedAway.add(2);
    migrate(db);
    expectAllAgree();
    expect(matches('plan', 'pro').indexed).toEqual([1]);
  });
});
