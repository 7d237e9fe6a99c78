import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { valueOfState } from '../../../audiences/aggregate.js';
import { leavesOf } from '../../../audiences/audience-rule.js';
import type { AudienceSet } from '../../../audiences/audience-set.js';
import { metricOfCalculation, parseComputedCalculation, parseComputedName } from '../../../audiences/computed-trait.js';
import type { ComputedTraitRecord, ComputedTraitStore } from '../../../audiences/computed-trait-store.js';
import { parseRule, RuleProblem } from '../../../audiences/parse-rule.js';
import { type ComputedTraitRow, toComputedDefinition } from '../../audience-rows.js';
import type { ComputedTraitsKnown } from '../../filter-values.js';
import type { PostgresPool } from '../postgres-pool.js';
import { forgetUnusedMetrics, liveTotalOnce, progressOf, startMetrics } from './postgres-audience-backfill.js';
import { definitionTransactions, type PostgresAudienceRegistry } from './postgres-audience-registry.js';

/**
 * ComputedTraitStore on PostgreSQL (migration 010), as SQLite's
 * (storage/sqlite/audiences/sqlite-computed-trait-store.ts). A write holds the definitions' lock
 * exclusive and bumps their version, so every server's next ingest counts under the new set.
 */
export function createPostgresComputedTraitStore(
  pool: PostgresPool,
  options: { readonly now: () => number; readonly registry: PostgresAudienceRegistry },
): ComputedTraitStore {
  const { now, registry } = options;
  const { reading, changing } = definitionTransactions(pool, registry);

  const selectOne = async (client: pg.PoolClient, id: string) =>
    (await client.query<ComputedTraitRow>('SELECT * FROM computed_traits WHERE id = $1', [id])).rows[0];

  async function record(
    client: pg.PoolClient,
    set: AudienceSet,
    row: ComputedTraitRow,
    liveTotal: () => Promise<number>,
  ): Promise<ComputedTraitRecord> {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      calculation: JSON.parse(row.calculation) as unknown,
      phase: row.phase,
      progress: await progressOf(
        client,
        'computed_traits',
        { definition: row.calculation, phase: row.phase, position: row.position },
        set,
        liveTotal,
      ),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
  /** Starts counting the calculation's metric; answers the trait's phase. */
  const start = (client: pg.PoolClient, calculation: unknown) =>
    startMetrics(client, [metricOfCalculation(parseComputedCalculation(calculation))]);

  return {
    list: () =>
      reading(async (client, set) => {
        const liveTotal = liveTotalOnce(client);
        const { rows } = await client.query<ComputedTraitRow>(
          'SELECT * FROM computed_traits ORDER BY created_at, id COLLATE "C"',
        );
        const records: ComputedTraitRecord[] = [];
        for (const row of rows) records.push(await record(client, set, row, liveTotal));
        return records;
      }),
    get: (id) =>
      reading(async (client, set) => {
        const row = await selectOne(client, id);
        return row ? record(client, set, row, liveTotalOnce(client)) : undefined;
      }),
    create: (input) =>
      changing(async (client, set) => {
        const id = `ctr_${randomBytes(9).toString('base64url')}`;
        const name = parseComputedName(input.name);
        const named = await client.query('SELECT 1 FROM computed_traits WHERE name = $1', [name]);
        if (named.rowCount) throw new RuleProblem('name', `a computed trait named ${name} exists`);
        const phase = await start(client, input.calculation);
        await client.query(
          `INSERT INTO computed_traits (id, name, description, calculation, phase, position, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 0, $6, $6)`,
          [id, name, input.description ?? null, JSON.stringify(input.calculation), phase, now()],
        );
        return record(client, set, (await selectOne(client, id)) as ComputedTraitRow, liveTotalOnce(client));
      }),
    update: (id, input) =>
      changing(async (client, set) => {
        const existing = await selectOne(client, id);
        if (!existing) return undefined;
        const calculation = input.calculation ?? (JSON.parse(existing.calculation) as unknown);
        const description = input.description === undefined ? existing.description : input.description;
        const json = JSON.stringify(calculation);
        const isChanged = json !== existing.calculation;
        const phase = isChanged ? await start(client, calculation) : existing.phase;
        await client.query(
          `UPDATE computed_traits SET description = $2, calculation = $3, phase = $4,
             position = CASE WHEN $5 THEN 0 ELSE position END, updated_at = $6 WHERE id = $1`,
          [id, description, json, phase, isChanged, now()],
        );
        if (isChanged) await forgetUnusedMetrics(client, set);
        return record(client, set, (await selectOne(client, id)) as ComputedTraitRow, liveTotalOnce(client));
      }),
    remove: (id) =>
      changing(async (client, set) => {
        const existing = await selectOne(client, id);
        if (!existing) return false;
        const rules = await client.query<{ id: string; rule: string }>('SELECT id, rule FROM audiences');
        const user = rules.rows.find(({ rule }) =>
          leavesOf(parseRule(JSON.parse(rule))).some(
            (leaf) => leaf.kind === 'trait' && leaf.trait === `computed.${existing.name}`,
          ),
        );
        if (user)
          throw new RuleProblem('id', `audience ${user.id} names this computed trait: change or delete it first`);
        await client.query('DELETE FROM computed_traits WHERE id = $1', [id]);
        await client.query(
          `UPDATE audience_profiles SET computed = (computed::jsonb - $1::text)::text WHERE computed <> '{}'`,
          [existing.name],
        );
        await forgetUnusedMetrics(client, set);
        return true;
      }),
    valuesOf: (profileId) =>
      reading(async (client, set) => {
        const { rows } = await client.query<{ computed: string }>(
          'SELECT computed FROM audience_profiles WHERE profile_id = $1',
          [profileId],
        );
        const kept = JSON.parse(rows[0]?.computed ?? '{}') as Record<string, unknown>;
        const values: Record<string, unknown> = {};
        for (const trait of set.allComputedTraits) {
          values[trait.name] = kept[trait.name] ?? valueOfState(trait.aggregate, undefined);
        }
        return values;
      }),
  };
}

/** What contact search knows of computed traits: each defined one's value with no events. */
export async function computedTraitsKnown(pool: PostgresPool): Promise<ComputedTraitsKnown> {
  const { rows } = await pool.query<Pick<ComputedTraitRow, 'id' | 'name' | 'calculation' | 'phase'>>(
    'SELECT id, name, calculation, phase FROM computed_traits',
  );
  const known = new Map(
    rows.map((row) => [row.name, { valueWithoutEvents: valueOfState(toComputedDefinition(row).aggregate, undefined) }]),
  );
  return (name) => known.get(name);
}
