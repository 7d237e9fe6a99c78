import { describe, expect, it } from 'vitest';
import type { Filter } from '../../contacts/search-filter-spec.js';
import { liveContactCountSql } from './audiences/audience-backfill.js';
import { keysetSql, prefixIdsSql } from './contacts/contact-queries.js';
import { compileFilters, type LiveIdSet } from './contacts/search-filters.js';
import {
  liveCountSql,
  liveIdsSql,
  matchingIdsInSetSql,
  matchingIdsSql,
  sortedIdsSql,
  walkedIdsSql,
} from './contacts/search-sql.js';
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

/** Each statement of a trigger, NEW.* and OLD.* bound to 1 as in triggerBody. */
function triggerStatements(db: ReturnType<typeof openDatabase>, name: string): string[] {
  return triggerBody(db, name)
    .split(/;\s*/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

// Identity rewrites a profile's traits on most identify calls; a scan here would cost a million
// rows per event on a large database.
describe('query plans that keep the trait index current', () => {
  const db = openDatabase(':memory:');

  it.each([
    'profile_trait_values_on_insert',
    'profile_trait_values_on_traits',
    'profile_trait_values_on_merge',
    'profile_trait_values_on_unmerge',
    'profile_trait_values_on_delete',
    'profile_trait_values_on_last_seen',
  ])('trigger %s finds rows by their whole key, never by scanning', (trigger) => {
    const statements = triggerStatements(db, trigger);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const plan = planOf(db, statement);
      expect(plan.filter((step) => /^SCAN (profiles|profile_trait_values)\b/.test(step))).toEqual([]);
      if (/^(DELETE|UPDATE)/.test(statement)) {
        expect(plan).toContain('SEARCH profile_trait_values USING PRIMARY KEY (name=? AND value=? AND profile_id=?)');
      }
    }
  });
});

// bench:contacts holds these to p95 <= 25 ms on a million contacts (docs/benchmarks.md); each
// plan below is the one that makes that possible.
describe('query plans of the contacts list and search', () => {
  const db = openDatabase(':memory:');
  const plan = { field: 'traits.plan', op: 'eq', value: 'enterprise' };
  const since = { field: 'lastSeenAt', op: 'gte', value: '2025-12-01T00:00:00Z' };
  const until = { field: 'lastSeenAt', op: 'lt', value: '2025-12-08T00:00:00Z' };
  const compiled = (filters: Filter[]) => compileFilters(filters);
  const pagePlan = (conditions: readonly string[], params: Record<string, unknown>) =>
    planOf(db, keysetSql('-lastSeenAt', true, conditions), { ...params, key: 1, id: 1, limit: 51 });
  const matchesPlan = (filters: Filter[]) => {
    const { conditions, params } = compiled(filters);
    return planOf(db, matchingIdsSql(conditions), { ...params, cap: 10_001 });
  };
  const scans = (steps: string[]) => steps.filter((step) => /^SCAN profiles\b/.test(step));

  it('pages the list by keyset through the index of its sort', () => {
    expect(pagePlan([], {})).toEqual(['SEARCH profiles USING INDEX profiles_live_last_seen (last_seen_at<?)']);
  });

  it('reads the matches of a trait eq from the trait index, not from the JSON of every profile', () => {
    const steps = matchesPlan([plan]);
    expect(steps).toContain('SEARCH profile_trait_values USING PRIMARY KEY (name=? AND value=?)');
    expect(steps).toContain('SEARCH profiles USING INTEGER PRIMARY KEY (rowid=?)');
    expect(scans(steps)).toEqual([]);
  });

  it('counts contacts matching two trait eqs without reading a profile', () => {
    const filters = compiled([plan, { field: 'traits.country', op: 'eq', value: 'FR' }]);
    const live = filters.liveBesides(0) as string[];
    const steps = planOf(db, liveCountSql(filters.liveIdSets[0] as LiveIdSet, live), {
      ...filters.params,
      cap: 10_001,
    });
    expect(steps).toContain('SEARCH profile_trait_values USING PRIMARY KEY (name=? AND value=?)');
    expect(steps).toContain(
      'SEARCH profile_trait_values EXISTS USING PRIMARY KEY (name=? AND value=? AND profile_id=?)',
    );
    expect(steps.filter((step) => /\bprofiles\b/.test(step))).toEqual([]);
  });

  it('pages many trait matches by walking the sort index, probing the trait index', () => {
    const { probeConditions, params } = compiled([plan]);
    expect(pagePlan(probeConditions, params)).toEqual([
      'SEARCH profiles USING INDEX profiles_live_last_seen (last_seen_at<?)',
      'SEARCH profile_trait_values EXISTS USING PRIMARY KEY (name=? AND value=? AND profile_id=?)',
    ]);
  });

  it('reads the matches of a trait eq and a range from the trait index, a profile only on the day', () => {
    const filters = compiled([since, plan]);
    const set = filters.liveIdSets[0] as LiveIdSet;
    const steps = planOf(db, liveIdsSql(set, filters.liveBesides(0) as string[]), { ...filters.params, cap: 10_001 });
    expect(steps).toEqual([
      'SEARCH profile_trait_values USING PRIMARY KEY (name=? AND value=?)',
      expect.stringMatching(/^CORRELATED SCALAR SUBQUERY/),
      'SEARCH profiles USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });

  it('reads the matches of a trait eq and another condition starting from the trait index', () => {
    const filters = compiled([{ field: 'email', op: 'contains', value: 'ada' }, plan]);
    expect(filters.liveBesides(0)).toBeUndefined();
    const set = filters.liveIdSets[0] as LiveIdSet;
    const steps = planOf(db, matchingIdsInSetSql(set, filters.besides(0)), { ...filters.params, cap: 10_001 });
    expect(steps).toContain('SEARCH profile_trait_values USING PRIMARY KEY (name=? AND value=?)');
    expect(steps).toContain('SEARCH profiles USING INTEGER PRIMARY KEY (rowid=?)');
    expect(scans(steps)).toEqual([]);
  });

  it('cuts a page from a list of ids by a bounded walk of the sort index, or by reading each id', () => {
    const walk = planOf(db, walkedIdsSql('-lastSeenAt', true), { ids: '[]', key: 1, id: 1, scan: 10, limit: 51 });
    expect(walk).toContain('SEARCH profiles USING INDEX profiles_live_last_seen (last_seen_at<?)');
    expect(walk.filter((step) => /PRIMARY KEY|TEMP B-TREE/.test(step))).toEqual([]);
    const sorted = planOf(db, sortedIdsSql('email', false), { ids: '[]', limit: 51 });
    expect(sorted).toContain('SEARCH profiles USING INTEGER PRIMARY KEY (rowid=?)');
    expect(sorted.filter((step) => step.includes('profiles_live_email'))).toEqual([]);
  });

  it('reads the contacts whose email contains a value from the trigram index, not a scan', () => {
    const steps = matchesPlan([{ field: 'email', op: 'contains', value: 'lovelace' }]);
    expect(steps).toContain('SEARCH profiles USING INTEGER PRIMARY KEY (rowid=?)');
    expect(steps.some((step) => /contact_text VIRTUAL TABLE INDEX/.test(step))).toBe(true);
    expect(scans(steps)).toEqual([]);
  });

  it('reads the contacts whose email or name starts with q= from two indexes, not a scan', () => {
    const steps = planOf(db, prefixIdsSql, { lo: 'ada', hi: 'adb', cap: 10_001 });
    expect(steps).toContain('SEARCH profiles USING INDEX profiles_live_email (contact_email>? AND contact_email<?)');
    expect(steps).toContain('SEARCH profiles USING INDEX profiles_live_name (<expr>>? AND <expr><?)');
    expect(scans(steps)).toEqual([]);
  });

  it('answers a lastSeenAt range, alone or with a trait eq, through an index', () => {
    expect(matchesPlan([since, until])).toContain(
      'SEARCH profiles USING INDEX profiles_live_last_seen (last_seen_at>? AND last_seen_at<?)',
    );
    const { conditions, params } = compiled([since, until]);
    expect(pagePlan(conditions, params)).toEqual([
      'SEARCH profiles USING INDEX profiles_live_last_seen (last_seen_at>? AND last_seen_at<?)',
    ]);
    expect(scans(matchesPlan([plan, since]))).toEqual([]);
  });
});

describe('query plans of the audience pages', () => {
  it('counts live contacts from the live profiles index, not by reading every profile', () => {
    const db = openDatabase(':memory:');
    expect(planOf(db, liveContactCountSql, 10)).toEqual(['SCAN profiles USING INDEX profiles_live_created']);
  });
});
