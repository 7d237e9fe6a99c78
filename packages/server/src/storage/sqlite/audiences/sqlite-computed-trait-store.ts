import { randomBytes } from 'node:crypto';
import { valueOfState } from '../../../audiences/aggregate.js';
import { leavesOf } from '../../../audiences/audience-rule.js';
import type { AudienceState } from '../../../audiences/audience-state.js';
import { metricOfCalculation, parseComputedCalculation, parseComputedName } from '../../../audiences/computed-trait.js';
import type { ComputedTraitRecord, ComputedTraitStore } from '../../../audiences/computed-trait-store.js';
import { parseRule, RuleProblem } from '../../../audiences/parse-rule.js';
import type { ComputedTraitRow } from '../../audience-rows.js';
import type { SqliteDatabase } from '../open-database.js';
import type { AudienceBackfill } from './audience-backfill.js';
import type { AudienceRegistry } from './sqlite-audience-store.js';

export interface SqliteComputedTraitsOptions {
  readonly now: () => number;
  readonly state: AudienceState;
  readonly backfill: AudienceBackfill;
  /** Wakes the feed's readers once a write has committed. */
  readonly committed: () => void;
}

/**
 * ComputedTraitStore on the tables of migration 021. As with audiences, each write recompiles the
 * registry ingest reads in the same turn as its commit, so no event is counted under an old set.
 */
export function createSqliteComputedTraitStore(
  db: SqliteDatabase,
  registry: AudienceRegistry,
  options: SqliteComputedTraitsOptions,
): ComputedTraitStore {
  const { now, backfill } = options;
  const selectAll = db.prepare<[], ComputedTraitRow>('SELECT * FROM computed_traits ORDER BY created_at, id');
  const selectOne = db.prepare<[string], ComputedTraitRow>('SELECT * FROM computed_traits WHERE id = ?');
  const selectNamed = db.prepare<[string], ComputedTraitRow>('SELECT * FROM computed_traits WHERE name = ?');
  const insert = db.prepare(
    `INSERT INTO computed_traits (id, name, description, calculation, phase, position, created_at, updated_at)
     VALUES (@id, @name, @description, @calculation, @phase, 0, @at, @at)`,
  );
  const update = db.prepare(
    `UPDATE computed_traits SET description = @description, calculation = @calculation, phase = @phase,
       position = CASE WHEN @isChanged THEN 0 ELSE position END, updated_at = @at WHERE id = @id`,
  );
  const deleteOne = db.prepare<[string]>('DELETE FROM computed_traits WHERE id = ?');
  const forgetValuesOf = db.prepare<[string]>(
    "UPDATE audience_profiles SET computed = json_remove(computed, '$.' || json_quote(?)) WHERE computed != '{}'",
  );
  const allRules = db.prepare<[], { id: string; rule: string }>('SELECT id, rule FROM audiences');

  const record = (row: ComputedTraitRow, liveTotal = backfill.liveTotalOnce()): ComputedTraitRecord => ({
    id: row.id,
    name: row.name,
    description: row.description,
    calculation: JSON.parse(row.calculation) as unknown,
    phase: row.phase,
    progress: backfill.progressOf(
      'computed_traits',
      { definition: row.calculation, phase: row.phase, position: row.position },
      liveTotal,
    ),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  /** Starts counting the calculation's metric; answers the trait's phase. */
  const start = (calculation: unknown) => {
    const parsed = parseComputedCalculation(calculation);
    return backfill.startMetrics([metricOfCalculation(parsed)]);
  };

  const create = db.transaction((id: string, name: string, description: string | null, calculation: unknown) => {
    if (selectNamed.get(name)) throw new RuleProblem('name', `a computed trait named ${name} exists`);
    insert.run({
      id,
      name,
      description,
      calculation: JSON.stringify(calculation),
      phase: start(calculation),
      at: now(),
    });
  });

  const change = db.transaction((row: ComputedTraitRow, description: string | null, calculation: unknown) => {
    const json = JSON.stringify(calculation);
    const isChanged = json !== row.calculation;
    const phase = isChanged ? start(calculation) : row.phase;
    update.run({ id: row.id, description, calculation: json, phase, isChanged: isChanged ? 1 : 0, at: now() });
    if (isChanged) backfill.forgetUnusedMetrics();
  });

  const remove = db.transaction((row: ComputedTraitRow) => {
    const user = allRules
      .all()
      .find(({ rule }) =>
        leavesOf(parseRule(JSON.parse(rule))).some(
          (leaf) => leaf.kind === 'trait' && leaf.trait === `computed.${row.name}`,
        ),
      );
    if (user) throw new RuleProblem('id', `audience ${user.id} names this computed trait: change or delete it first`);
    deleteOne.run(row.id);
    forgetValuesOf.run(row.name);
    backfill.forgetUnusedMetrics();
  });

  const afterWrite = () => {
    registry.reload();
    options.committed();
  };

  return {
    list: async () => {
      const liveTotal = backfill.liveTotalOnce();
      return selectAll.all().map((row) => record(row, liveTotal));
    },
    get: async (id) => {
      const row = selectOne.get(id);
      return row ? record(row) : undefined;
    },
    async create(input) {
      const id = `ctr_${randomBytes(9).toString('base64url')}`;
      create(id, parseComputedName(input.name), input.description ?? null, input.calculation);
      afterWrite();
      return record(selectOne.get(id) as ComputedTraitRow);
    },
    async update(id, input) {
      const existing = selectOne.get(id);
      if (!existing) return undefined;
      const calculation = input.calculation ?? (JSON.parse(existing.calculation) as unknown);
      change(existing, input.description === undefined ? existing.description : input.description, calculation);
      afterWrite();
      return record(selectOne.get(id) as ComputedTraitRow);
    },
    async remove(id) {
      const existing = selectOne.get(id);
      if (!existing) return false;
      remove(existing);
      afterWrite();
      return true;
    },
    async valuesOf(profileId) {
      const kept = options.state.readProfile(profileId).computed;
      const values: Record<string, unknown> = {};
      for (const trait of registry.current().allComputedTraits) {
        values[trait.name] = kept[trait.name] ?? valueOfState(trait.aggregate, undefined);
      }
      return values;
    },
  };
}
