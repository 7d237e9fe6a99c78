import type pg from 'pg';
import type { AudiencePhase, AudienceSet } from '../../../audiences/audience-set.js';
import { countStoredEvents, groupByContact } from '../../../audiences/backfill-count.js';
import { type DefinitionKind, metricKeysOf } from '../../../audiences/definition-metrics.js';
import type { EventMetric } from '../../../audiences/event-metric.js';
import { withAudienceWork } from './postgres-audience-evaluation.js';

interface MetricRow {
  key: string;
  event: string;
  high_water: number;
  position: number;
  is_ready: boolean;
}

export interface PhasedRow {
  readonly definition: string;
  readonly phase: AudiencePhase;
  readonly position: number;
}

const keysOf = metricKeysOf;

const selectInPhase = {
  computed_traits:
    'SELECT id, calculation AS definition, position FROM computed_traits WHERE phase = $1 ORDER BY created_at, id COLLATE "C"',
  audiences: 'SELECT id, rule AS definition, position FROM audiences WHERE phase = $1 ORDER BY created_at, seq',
} as const;
// Computed traits first: an audience may read one, and is evaluated once its values are.
const tables = ['computed_traits', 'audiences'] as const;

/**
 * Registers the metrics not yet kept, up to the events stored now; answers the definition's phase.
 * In the transaction that saves the definition, under the definitions' exclusive lock: no ingest is
 * open, so every event up to the high-water mark is committed and every later one is counted by ingest.
 */
export async function startMetrics(client: pg.PoolClient, metrics: readonly EventMetric[]): Promise<AudiencePhase> {
  const { rows } = await client.query<{ high_water: number }>('SELECT coalesce(max(id), 0) AS high_water FROM events');
  const highWater = (rows[0] as { high_water: number }).high_water;
  let isCounted = true;
  for (const metric of metrics) {
    const existing = await client.query<MetricRow>('SELECT * FROM audience_metrics WHERE key = $1', [metric.key]);
    const row = existing.rows[0];
    if (row) {
      isCounted &&= row.is_ready;
      continue;
    }
    await client.query(
      'INSERT INTO audience_metrics (key, event, high_water, position, is_ready) VALUES ($1, $2, $3, 0, $4)',
      [metric.key, metric.event, highWater, highWater === 0],
    );
    isCounted &&= highWater === 0;
  }
  return isCounted ? 'evaluating' : 'backfilling';
}

/**
 * One bounded step of the backfill (SQLite's audience-backfill.ts, the same phases), in the caller's
 * transaction under the definitions' exclusive lock. Answers whether more is left and whether a
 * phase changed (the caller then bumps the definitions' version).
 */
export async function backfillStep(
  client: pg.PoolClient,
  set: AudienceSet,
  maxEvents: number,
  now: () => number,
): Promise<{ hasMore: boolean; isPhaseChanged: boolean }> {
  const pending = await client.query<MetricRow>(
    'SELECT * FROM audience_metrics WHERE NOT is_ready ORDER BY key COLLATE "C" LIMIT 1',
  );
  const metric = pending.rows[0];
  if (metric) {
    await countSlice(client, set, metric, maxEvents, now);
    return { hasMore: true, isPhaseChanged: await promoteCounted(client, set) };
  }
  if (await promoteCounted(client, set)) return { hasMore: true, isPhaseChanged: true };
  for (const table of tables) {
    const { rows } = await client.query<{ id: string; position: number }>(`${selectInPhase[table]} LIMIT 1`, [
      'evaluating',
    ]);
    const row = rows[0];
    if (!row) continue;
    const limit = Math.max(50, Math.floor(maxEvents / 20));
    const ids = await client.query<{ id: number }>(
      'SELECT id FROM profiles WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2',
      [row.position, limit],
    );
    const profileIds = ids.rows.map((entry) => entry.id);
    // A computed trait's values are worked out on every evaluation; an audience names itself.
    const audienceIds = new Set(table === 'audiences' ? [row.id] : []);
    await withAudienceWork(client, set, profileIds, now, ({ engine, sink, live }) => {
      for (const profileId of live) engine.evaluateProfile(profileId, sink, { audienceIds, isBackfill: true });
    });
    const isDone = profileIds.length < limit;
    await client.query(`UPDATE ${table} SET phase = $1, position = $2 WHERE id = $3`, [
      isDone ? 'ready' : 'evaluating',
      profileIds.at(-1) ?? row.position,
      row.id,
    ]);
    return { hasMore: true, isPhaseChanged: isDone };
  }
  return { hasMore: false, isPhaseChanged: false };
}

/** Counts one slice of a metric's stored events into the records of the live contacts they belong to. */
async function countSlice(
  client: pg.PoolClient,
  set: AudienceSet,
  metric: MetricRow,
  maxEvents: number,
  now: () => number,
): Promise<void> {
  const kept = set.metricsFor(metric.event).find((entry) => entry.metric.key === metric.key);
  if (!kept) {
    await client.query('DELETE FROM audience_metrics WHERE key = $1', [metric.key]);
    return;
  }
  const until = Math.min(metric.position + maxEvents, metric.high_water);
  // Each event counts for the live contact it belongs to now (merged_into names the survivor). No
  // merge can move it meanwhile: ingest and merges wait for the definitions' lock this step holds.
  const { rows } = await client.query<{ live_id: number; event: string; timestamp: number; body: string }>(
    `SELECT coalesce(profile.merged_into, profile.id) AS live_id, event.event, event.timestamp, event.body
     FROM events AS event JOIN profiles AS profile ON profile.id = event.profile_id
     WHERE event.id > $1 AND event.id <= $2 AND event.type = 'track' AND event.event = $3`,
    [metric.position, until, metric.event],
  );
  const byContact = groupByContact(rows);
  const at = now();
  // Only the contacts still live once locked: an erasure (which takes no definitions lock) may have
  // committed since the events were read, and its contact's record must not come back.
  await withAudienceWork(client, set, [...byContact.keys()], now, ({ state, live }) => {
    const locked = new Set(live);
    countStoredEvents(state, kept.metric, new Map([...byContact].filter(([id]) => locked.has(id))), at);
  });
  await client.query('UPDATE audience_metrics SET position = $1, is_ready = $2 WHERE key = $3', [
    until,
    until >= metric.high_water,
    metric.key,
  ]);
}

/** Definitions whose metrics are all counted go on to evaluating. */
async function promoteCounted(client: pg.PoolClient, set: AudienceSet): Promise<boolean> {
  const ready = new Set(
    (await client.query<{ key: string }>('SELECT key FROM audience_metrics WHERE is_ready')).rows.map((row) => row.key),
  );
  let promoted = false;
  for (const table of tables) {
    const { rows } = await client.query<{ id: string; definition: string }>(selectInPhase[table], ['backfilling']);
    for (const row of rows) {
      if (!keysOf(table, row.definition, set).every((key) => ready.has(key))) continue;
      await client.query(`UPDATE ${table} SET phase = 'evaluating', position = 0 WHERE id = $1`, [row.id]);
      promoted = true;
    }
  }
  return promoted;
}

/** Backfill progress in stored events (backfilling) or live contacts (evaluating, ready). */
export async function progressOf(
  client: pg.PoolClient | pg.Pool,
  table: DefinitionKind,
  row: PhasedRow,
  set: AudienceSet,
  liveTotal: () => Promise<number>,
): Promise<{ processed: number; total: number }> {
  if (row.phase === 'backfilling') {
    const { rows } = await client.query<{ processed: number; total: number }>(
      `SELECT coalesce(sum(position), 0)::bigint AS processed, coalesce(sum(high_water), 0)::bigint AS total
       FROM audience_metrics WHERE key = ANY ($1::text[])`,
      [keysOf(table, row.definition, set)],
    );
    return rows[0] as { processed: number; total: number };
  }
  const total = await liveTotal();
  if (row.phase === 'ready') return { processed: total, total };
  return { processed: await countLive(client, row.position), total };
}

/** How many live contacts there are, counted once however many definitions a caller lists. */
export function liveTotalOnce(client: pg.PoolClient): () => Promise<number> {
  let total: Promise<number> | undefined;
  return () => {
    total ??= countLive(client);
    return total;
  };
}

/** Live contacts up to an id. */
export async function countLive(client: pg.PoolClient | pg.Pool, upTo = Number.MAX_SAFE_INTEGER): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    'SELECT count(*)::bigint AS n FROM profiles WHERE merged_into IS NULL AND id <= $1',
    [upTo],
  );
  return (rows[0] as { n: number }).n;
}

/** Drops the metrics (and their hours) no definition reads any more. */
export async function forgetUnusedMetrics(client: pg.PoolClient, set: AudienceSet): Promise<void> {
  const rules = await client.query<{ rule: string }>('SELECT rule FROM audiences');
  const calculations = await client.query<{ calculation: string }>('SELECT calculation FROM computed_traits');
  const used = new Set([
    ...rules.rows.flatMap((row) => keysOf('audiences', row.rule, set)),
    ...calculations.rows.flatMap((row) => keysOf('computed_traits', row.calculation, set)),
  ]);
  const keys = await client.query<{ key: string }>('SELECT key FROM audience_metrics');
  const unused = keys.rows.map((row) => row.key).filter((key) => !used.has(key));
  if (unused.length === 0) return;
  await client.query('DELETE FROM audience_metrics WHERE key = ANY ($1::text[])', [unused]);
  await client.query(`UPDATE audience_profiles SET hours = (hours::jsonb - $1::text[])::text WHERE hours <> '{}'`, [
    unused,
  ]);
}
