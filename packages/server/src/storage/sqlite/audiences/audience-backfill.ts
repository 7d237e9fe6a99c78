import type { AudienceEngine } from '../../../audiences/audience-engine.js';
import type { Rule } from '../../../audiences/audience-rule.js';
import type { AudiencePhase } from '../../../audiences/audience-set.js';
import type { AudienceState } from '../../../audiences/audience-state.js';
import { metricCounts, metricsOfRule } from '../../../audiences/event-metric.js';
import { addToHours } from '../../../audiences/hour-buckets.js';
import { parseRule } from '../../../audiences/parse-rule.js';
import type { ChangeSink } from '../../../changes/change.js';
import type { SqliteDatabase } from '../open-database.js';
import type { AudienceRegistry } from './sqlite-audience-store.js';

interface MetricRow {
  key: string;
  event: string;
  high_water: number;
  position: number;
  is_ready: number;
}

export interface AudienceBackfill {
  /** Registers the rule's metrics not yet kept, up to the events stored now; answers the audience's phase. */
  startMetrics(rule: Rule): AudiencePhase;
  /** One bounded step, in one transaction. */
  step(maxEvents: number): { hasMore: boolean; isPhaseChanged: boolean };
  /**
   * Backfill progress in stored events (backfilling) or live contacts (evaluating, ready). `liveTotal`
   * counts the live contacts: a caller answering for several audiences counts them once.
   */
  progressOf(
    audience: { rule: string; phase: AudiencePhase; position: number },
    liveTotal: () => number,
  ): { processed: number; total: number };
  /** How many live contacts there are (a count over all of them). */
  liveCount(): number;
  /** Drops the metrics (and their hours) no audience reads any more. */
  forgetUnusedMetrics(): void;
}

/**
 * A new metric counts the events stored before it existed (ids up to its high-water mark) here,
 * a slice of ids per step; events after the mark are counted by ingest, and counts add up either
 * way round. Once every metric of an audience is counted, every live contact is evaluated for it,
 * a slice per step, its entries marked backfill; then the audience is ready.
 */
export function createAudienceBackfill(
  db: SqliteDatabase,
  deps: {
    registry: AudienceRegistry;
    engine: AudienceEngine;
    state: AudienceState;
    changes: ChangeSink;
    now: () => number;
  },
): AudienceBackfill {
  const selectMetric = db.prepare<[string], MetricRow>('SELECT * FROM audience_metrics WHERE key = ?');
  const insertMetric = db.prepare<[string, string, number, number]>(
    'INSERT INTO audience_metrics (key, event, high_water, position, is_ready) VALUES (?, ?, ?, 0, ?)',
  );
  const maxEventId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck();
  const firstPending = db.prepare<[], MetricRow>(
    'SELECT * FROM audience_metrics WHERE is_ready = 0 ORDER BY key LIMIT 1',
  );
  // Each event counts for the live contact it belongs to now (merged_into names the survivor).
  const selectSlice = db.prepare<[number, number, string], { live_id: number; timestamp: number; body: string }>(
    `SELECT coalesce(profile.merged_into, profile.id) AS live_id, event.timestamp, event.body
     FROM events AS event JOIN profiles AS profile ON profile.id = event.profile_id
     WHERE event.id > ? AND event.id <= ? AND event.type = 'track' AND event.event = ?`,
  );
  const moveMetric = db.prepare<[number, number, string]>(
    'UPDATE audience_metrics SET position = ?, is_ready = ? WHERE key = ?',
  );
  const deleteMetric = db.prepare<[string]>('DELETE FROM audience_metrics WHERE key = ?');
  const forgetHoursOf = db.prepare<[string]>(
    "UPDATE audience_profiles SET hours = json_remove(hours, '$.' || json_quote(?)) WHERE hours != '{}'",
  );
  const selectAudiences = db.prepare<[string], { id: string; rule: string; position: number }>(
    'SELECT id, rule, position FROM audiences WHERE phase = ? ORDER BY created_at, rowid',
  );
  const setPhase = db.prepare<[AudiencePhase, number, string]>(
    'UPDATE audiences SET phase = ?, position = ? WHERE id = ?',
  );
  const selectLiveIds = db
    .prepare<[number, number], number>(
      'SELECT id FROM profiles WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?',
    )
    .pluck();
  const countLive = db
    .prepare<[number], number>('SELECT count(*) FROM profiles WHERE merged_into IS NULL AND id <= ?')
    .pluck();
  const allMetricKeys = db.prepare<[], string>('SELECT key FROM audience_metrics').pluck();
  const allRules = db.prepare<[], string>('SELECT rule FROM audiences').pluck();

  const isReady = (key: string) => selectMetric.get(key)?.is_ready === 1;
  const keysOf = (ruleJson: string) => metricsOfRule(parseRule(JSON.parse(ruleJson))).map((metric) => metric.key);

  /** Counts one slice of a metric's stored events. */
  function countSlice(metric: MetricRow, maxEvents: number): void {
    const set = deps.registry.current();
    const kept = set.metricsFor(metric.event).find((entry) => entry.metric.key === metric.key);
    if (!kept) {
      deleteMetric.run(metric.key);
      return;
    }
    const until = Math.min(metric.position + maxEvents, metric.high_water);
    const at = deps.now();
    // A slice's events, per contact: each contact's record is read and written once.
    const added = new Map<number, number[]>();
    for (const row of selectSlice.all(metric.position, until, metric.event)) {
      const body = JSON.parse(row.body) as { properties?: unknown };
      const event = { type: 'track', name: metric.event, timestamp: row.timestamp, properties: body.properties };
      if (!metricCounts(kept.metric, event)) continue;
      const list = added.get(row.live_id);
      if (list) list.push(row.timestamp);
      else added.set(row.live_id, [row.timestamp]);
    }
    for (const [profileId, timestamps] of added) {
      const profile = deps.state.readProfile(profileId);
      let hours = profile.hours[metric.key] ?? [];
      for (const timestamp of timestamps) hours = addToHours(hours, timestamp, 1, kept.retention, at);
      deps.state.write(profileId, { ...profile, hours: { ...profile.hours, [metric.key]: hours } });
    }
    moveMetric.run(until, until >= metric.high_water ? 1 : 0, metric.key);
  }

  /** Audiences whose metrics are all counted go on to evaluating. */
  function promoteCounted(): boolean {
    let promoted = false;
    for (const audience of selectAudiences.all('backfilling')) {
      if (keysOf(audience.rule).every(isReady)) {
        setPhase.run('evaluating', 0, audience.id);
        promoted = true;
      }
    }
    return promoted;
  }

  const step = db.transaction((maxEvents: number) => {
    const metric = firstPending.get();
    if (metric) {
      countSlice(metric, maxEvents);
      return { hasMore: true, isPhaseChanged: promoteCounted() };
    }
    if (promoteCounted()) return { hasMore: true, isPhaseChanged: true };
    const audience = selectAudiences.get('evaluating');
    if (!audience) return { hasMore: false, isPhaseChanged: false };
    const limit = Math.max(50, Math.floor(maxEvents / 20));
    const ids = selectLiveIds.all(audience.position, limit);
    const audienceIds = new Set([audience.id]);
    for (const profileId of ids)
      deps.engine.evaluateProfile(profileId, deps.changes, { audienceIds, isBackfill: true });
    const isDone = ids.length < limit;
    setPhase.run(isDone ? 'ready' : 'evaluating', ids.at(-1) ?? audience.position, audience.id);
    return { hasMore: true, isPhaseChanged: isDone };
  });

  return {
    startMetrics(rule) {
      const highWater = maxEventId.get() as number;
      let isCounted = true;
      for (const metric of metricsOfRule(rule)) {
        const existing = selectMetric.get(metric.key);
        if (existing) {
          isCounted &&= existing.is_ready === 1;
          continue;
        }
        insertMetric.run(metric.key, metric.event, highWater, highWater === 0 ? 1 : 0);
        isCounted &&= highWater === 0;
      }
      return isCounted ? 'evaluating' : 'backfilling';
    },
    step: (maxEvents) => step(maxEvents),
    progressOf(audience, liveTotal) {
      if (audience.phase === 'backfilling') {
        const metrics = keysOf(audience.rule).flatMap((key) => selectMetric.all(key));
        return {
          processed: metrics.reduce((sum, metric) => sum + metric.position, 0),
          total: metrics.reduce((sum, metric) => sum + metric.high_water, 0),
        };
      }
      const total = liveTotal();
      return { processed: audience.phase === 'ready' ? total : (countLive.get(audience.position) ?? 0), total };
    },
    liveCount: () => countLive.get(Number.MAX_SAFE_INTEGER) ?? 0,
    forgetUnusedMetrics() {
      const used = new Set(allRules.all().flatMap(keysOf));
      for (const key of allMetricKeys.all()) {
        if (used.has(key)) continue;
        deleteMetric.run(key);
        forgetHoursOf.run(key);
      }
    },
  };
}
