import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { leavesOf } from '../../../audiences/audience-rule.js';
import { type AudienceDefinition, type AudienceSet, compileAudienceSet } from '../../../audiences/audience-set.js';
import type { AudienceRecord, AudienceStore } from '../../../audiences/audience-store.js';
import { metricsOfAudience } from '../../../audiences/definition-metrics.js';
import { parseRule, RuleProblem } from '../../../audiences/parse-rule.js';
import { type AudienceRow, toAudienceDefinition } from '../../audience-rows.js';
import { inTransaction, type PostgresPool } from '../postgres-pool.js';
import {
  backfillStep,
  forgetUnusedMetrics,
  liveTotalOnce,
  progressOf,
  startMetrics,
} from './postgres-audience-backfill.js';
import { withAudienceWork } from './postgres-audience-evaluation.js';
import { previewRule } from './postgres-audience-preview.js';
import { definitionTransactions, type PostgresAudienceRegistry } from './postgres-audience-registry.js';

export interface PostgresAudiencesOptions {
  readonly now: () => number;
  readonly registry: PostgresAudienceRegistry;
}

const selectAllSql = 'SELECT * FROM audiences ORDER BY created_at, seq';

/**
 * AudienceStore on PostgreSQL (migration 010), the same behaviour as SQLite's
 * (storage/sqlite/audiences/sqlite-audience-store.ts, checked by audience-store.contract.ts). A
 * definition, a removal and every backfill step run under the definitions' exclusive lock
 * (postgres-audience-registry.ts); sweeps and backfills evaluate contacts under their row locks
 * (postgres-audience-evaluation.ts). Several servers share sweeps and backfills through the
 * audience worker's lease (audiences/audience-worker.ts).
 */
export function createPostgresAudienceStore(pool: PostgresPool, options: PostgresAudiencesOptions): AudienceStore {
  const { now, registry } = options;

  const { reading, changing } = definitionTransactions(pool, registry);

  async function record(
    client: pg.PoolClient,
    set: AudienceSet,
    row: AudienceRow,
    liveTotal: () => Promise<number>,
  ): Promise<AudienceRecord> {
    const counted = await client.query<{ n: number }>(
      'SELECT count(*)::bigint AS n FROM audience_members WHERE audience_id = $1',
      [row.id],
    );
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      rule: JSON.parse(row.rule) as unknown,
      phase: row.phase,
      progress: await progressOf(
        client,
        'audiences',
        { definition: row.rule, phase: row.phase, position: row.position },
        set,
        liveTotal,
      ),
      memberCount: (counted.rows[0] as { n: number }).n,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function selectOne(client: pg.PoolClient, id: string): Promise<AudienceRow | undefined> {
    return (await client.query<AudienceRow>('SELECT * FROM audiences WHERE id = $1', [id])).rows[0];
  }

  /** Throws RuleProblem if the definitions cannot stand with this one put in (or taken out). */
  async function checkSet(
    client: pg.PoolClient,
    set: AudienceSet,
    id: string,
    definition: AudienceDefinition | undefined,
  ): Promise<void> {
    const others = (await client.query<AudienceRow>(selectAllSql)).rows
      .filter((row) => row.id !== id)
      .map(toAudienceDefinition);
    compileAudienceSet(definition ? [...others, definition] : others, 'rule', set.allComputedTraits);
  }

  async function save(
    client: pg.PoolClient,
    set: AudienceSet,
    row: {
      id: string;
      name: string;
      description: string | null;
      rule: unknown;
      isNew: boolean;
      isRuleChanged: boolean;
    },
  ): Promise<AudienceRecord> {
    const parsed = parseRule(row.rule);
    await checkSet(client, set, row.id, { id: row.id, name: row.name, rule: parsed, phase: 'ready' });
    const at = now();
    const ruleJson = JSON.stringify(row.rule);
    const phase = row.isRuleChanged
      ? await startMetrics(client, metricsOfAudience(ruleJson, set))
      : ((await selectOne(client, row.id))?.phase ?? 'ready');
    if (row.isNew) {
      await client.query(
        `INSERT INTO audiences (id, name, description, rule, phase, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6)`,
        [row.id, row.name, row.description, ruleJson, phase, at],
      );
    } else {
      await client.query(
        `UPDATE audiences SET name = $2, description = $3, rule = $4, phase = $5,
           position = CASE WHEN $6 THEN 0 ELSE position END, updated_at = $7 WHERE id = $1`,
        [row.id, row.name, row.description, ruleJson, phase, row.isRuleChanged, at],
      );
    }
    return record(client, set, (await selectOne(client, row.id)) as AudienceRow, liveTotalOnce(client));
  }

  return {
    summaries: async () =>
      (
        await pool.query<{ id: string; name: string; phase: AudienceRecord['phase'] }>(
          'SELECT id, name, phase FROM audiences ORDER BY created_at, seq',
        )
      ).rows,
    list: () =>
      reading(async (client, set) => {
        const liveTotal = liveTotalOnce(client);
        const rows = (await client.query<AudienceRow>(selectAllSql)).rows;
        const records: AudienceRecord[] = [];
        for (const row of rows) records.push(await record(client, set, row, liveTotal));
        return records;
      }),
    get: (id) =>
      reading(async (client, set) => {
        const row = await selectOne(client, id);
        return row ? record(client, set, row, liveTotalOnce(client)) : undefined;
      }),
    create: (input) =>
      changing((client, set) =>
        save(client, set, {
          id: `aud_${randomBytes(9).toString('base64url')}`,
          name: input.name,
          description: input.description ?? null,
          rule: input.rule,
          isNew: true,
          isRuleChanged: true,
        }),
      ),
    update: (id, input) =>
      changing(async (client, set) => {
        const existing = await selectOne(client, id);
        if (!existing) return undefined;
        const rule = input.rule ?? (JSON.parse(existing.rule) as unknown);
        return save(client, set, {
          id,
          name: input.name ?? existing.name,
          description: input.description === undefined ? existing.description : input.description,
          rule,
          isNew: false,
          isRuleChanged: input.rule !== undefined && JSON.stringify(input.rule) !== existing.rule,
        });
      }),
    remove: (id) =>
      changing(async (client, set) => {
        if (!(await selectOne(client, id))) return false;
        const user = (await client.query<AudienceRow>(selectAllSql)).rows.find((row) =>
          leavesOf(parseRule(JSON.parse(row.rule))).some((leaf) => leaf.kind === 'audience' && leaf.audience === id),
        );
        if (user) throw new RuleProblem('id', `audience ${user.id} names this audience: change or delete it first`);
        await client.query('DELETE FROM audience_members WHERE audience_id = $1', [id]);
        await client.query('DELETE FROM audiences WHERE id = $1', [id]);
        await forgetUnusedMetrics(client, set);
        return true;
      }),
    members: async (id, after, limit) =>
      (
        await pool.query<{ profile_id: number; entered_at: number; is_backfill: boolean }>(
          `SELECT profile_id, entered_at, is_backfill FROM audience_members
           WHERE audience_id = $1 AND profile_id > $2 ORDER BY profile_id LIMIT $3`,
          [id, after, limit],
        )
      ).rows.map((row) => ({ profileId: row.profile_id, enteredAt: row.entered_at, isBackfill: row.is_backfill })),
    audiencesOf: async (profileId) =>
      (
        await pool.query<{ id: string; name: string; entered_at: number; is_backfill: boolean }>(
          `SELECT audience.id, audience.name, member.entered_at, member.is_backfill
           FROM audience_members AS member JOIN audiences AS audience ON audience.id = member.audience_id
           WHERE member.profile_id = $1 ORDER BY member.entered_at, audience.id COLLATE "C"`,
          [profileId],
        )
      ).rows.map((row) => ({ id: row.id, name: row.name, enteredAt: row.entered_at, isBackfill: row.is_backfill })),
    async preview(input) {
      const rule = parseRule(input);
      // Named audiences must exist; their stored membership is what the preview reads. The set is
      // read in a short transaction: the walk over every contact holds no lock, so a definition
      // change queued for the exclusive lock never waits on it, and ingest never waits on that.
      const set = await reading(async (client, current) => {
        await checkSet(client, current, 'preview', { id: 'preview', name: 'preview', rule, phase: 'ready' });
        return current;
      });
      const client = await pool.connect();
      try {
        return await previewRule(client, set, rule, now());
      } finally {
        client.release();
      }
    },
    nextDueAt: async () =>
      (await pool.query<{ due: number | null }>('SELECT min(due_at) AS due FROM audience_profiles')).rows[0]?.due ??
      null,
    sweepStep: (limit) =>
      reading(async (client, set) => {
        const at = now();
        const due = (
          await client.query<{ profile_id: number }>(
            'SELECT profile_id FROM audience_profiles WHERE due_at <= $1 ORDER BY due_at LIMIT $2',
            [at, limit],
          )
        ).rows.map((row) => row.profile_id);
        await withAudienceWork(client, set, due, now, ({ engine, sink, live }) => {
          for (const profileId of live) engine.evaluateProfile(profileId, sink);
        });
        return due.length;
      }),
    async backfillStep(maxEvents) {
      // Looked at without the lock first: a step holds every server's ingest back while it runs, and
      // each server asks at start. A definition committing meanwhile kicks its own backfill.
      const { rows } = await pool.query<{ pending: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM audience_metrics WHERE NOT is_ready)
           OR EXISTS (SELECT 1 FROM audiences WHERE phase <> 'ready')
           OR EXISTS (SELECT 1 FROM computed_traits WHERE phase <> 'ready') AS pending`,
      );
      if (!rows[0]?.pending) return false;
      return inTransaction(pool, async (client) => {
        const set = await registry.hold(client);
        const outcome = await backfillStep(client, set, maxEvents, now);
        if (outcome.isPhaseChanged) await registry.bump(client);
        return outcome.hasMore;
      });
    },
    memberCounts: async () =>
      new Map(
        (
          await pool.query<{ audience_id: string; n: number }>(
            `SELECT audience.id AS audience_id, count(member.profile_id)::bigint AS n
             FROM audiences AS audience LEFT JOIN audience_members AS member ON member.audience_id = audience.id
             GROUP BY audience.id`,
          )
        ).rows.map((row) => [row.audience_id, row.n]),
      ),
  };
}
