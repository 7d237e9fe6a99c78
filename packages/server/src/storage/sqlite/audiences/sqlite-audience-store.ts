import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AudienceEngine } from '../../../audiences/audience-engine.js';
import { leavesOf } from '../../../audiences/audience-rule.js';
import { type AudienceDefinition, type AudienceSet, compileAudienceSet } from '../../../audiences/audience-set.js';
import type { AudienceState } from '../../../audiences/audience-state.js';
import type { AudienceRecord, AudienceStore } from '../../../audiences/audience-store.js';
import { metricsOfAudience } from '../../../audiences/definition-metrics.js';
import { eventNamesOf } from '../../../audiences/naive-membership.js';
import { parseRule, RuleProblem } from '../../../audiences/parse-rule.js';
import { matchesPreview } from '../../../audiences/preview-match.js';
import type { ChangeSink } from '../../../changes/change.js';
import {
  type AudienceRow,
  type ComputedTraitRow,
  toAudienceDefinition,
  toComputedDefinition,
} from '../../audience-rows.js';
import type { SqliteDatabase } from '../open-database.js';
import type { AudienceBackfill } from './audience-backfill.js';

/** Contacts a preview evaluates between two turns of the event loop: a few milliseconds of work. */
const previewSlice = 100;

export interface SqliteAudiencesOptions {
  readonly now: () => number;
  readonly state: AudienceState;
  readonly engine: AudienceEngine;
  /** The plain change sink (entries and exits of backfills and sweeps go through it). */
  readonly changes: ChangeSink;
  /** Wakes the feed's readers once a write has committed. */
  readonly committed: () => void;
  readonly backfill: AudienceBackfill;
}

/** The audience set ingest evaluates, kept current as definitions change. */
export interface AudienceRegistry {
  current(): AudienceSet;
  reload(): void;
}

export function createAudienceRegistry(db: SqliteDatabase): AudienceRegistry {
  const selectAll = db.prepare<[], AudienceRow>('SELECT * FROM audiences ORDER BY created_at, rowid');
  const selectComputed = db.prepare<[], Pick<ComputedTraitRow, 'id' | 'name' | 'calculation' | 'phase'>>(
    'SELECT id, name, calculation, phase FROM computed_traits ORDER BY created_at, id',
  );
  const load = () =>
    compileAudienceSet(
      selectAll.all().map(toAudienceDefinition),
      'rule',
      selectComputed.all().map(toComputedDefinition),
    );
  let set = load();
  return {
    current: () => set,
    reload() {
      set = load();
    },
  };
}

/**
 * AudienceStore on the tables of migration 020. Definitions are checked (rule, named audiences,
 * cycles) before they are written; each write recompiles the registry ingest reads, in the same
 * turn as its commit, so that no event is counted under an old set of metrics.
 */
export function createSqliteAudienceStore(
  db: SqliteDatabase,
  registry: AudienceRegistry,
  options: SqliteAudiencesOptions,
): AudienceStore {
  const { now, engine, changes } = options;
  const selectAll = db.prepare<[], AudienceRow>('SELECT * FROM audiences ORDER BY created_at, rowid');
  const selectSummaries = db.prepare<[], { id: string; name: string; phase: AudienceRecord['phase'] }>(
    'SELECT id, name, phase FROM audiences ORDER BY created_at, rowid',
  );
  const selectOne = db.prepare<[string], AudienceRow>('SELECT * FROM audiences WHERE id = ?');
  const insertAudience = db.prepare(
    `INSERT INTO audiences (id, name, description, rule, phase, position, created_at, updated_at)
     VALUES (@id, @name, @description, @rule, @phase, 0, @at, @at)`,
  );
  const updateAudience = db.prepare(
    `UPDATE audiences SET name = @name, description = @description, rule = @rule, phase = @phase,
       position = CASE WHEN @isRuleChanged THEN 0 ELSE position END, updated_at = @at WHERE id = @id`,
  );
  const deleteAudience = db.prepare<[string]>('DELETE FROM audiences WHERE id = ?');
  const deleteMembers = db.prepare<[string]>('DELETE FROM audience_members WHERE audience_id = ?');
  // Counts kept by migration 028's triggers, not counted at each read.
  const countMembers = db
    .prepare<[string], number>('SELECT n FROM audience_member_counts WHERE audience_id = ?')
    .pluck();
  const countAllMembers = db.prepare<[], { audience_id: string; n: number }>(
    'SELECT audience_id, n FROM audience_member_counts',
  );
  const deleteCount = db.prepare<[string]>('DELETE FROM audience_member_counts WHERE audience_id = ?');
  const selectMembers = db.prepare<
    [string, number, number],
    { profile_id: number; entered_at: number; is_backfill: number }
  >(
    `SELECT profile_id, entered_at, is_backfill FROM audience_members
     WHERE audience_id = ? AND profile_id > ? ORDER BY profile_id LIMIT ?`,
  );
  const selectAudiencesOf = db.prepare<[number], { id: string; name: string; entered_at: number; is_backfill: number }>(
    `SELECT audience.id, audience.name, member.entered_at, member.is_backfill
     FROM audience_members AS member JOIN audiences AS audience ON audience.id = member.audience_id
     WHERE member.profile_id = ? ORDER BY member.entered_at, audience.id`,
  );
  const selectLiveIds = db
    .prepare<[number, number], number>(
      'SELECT id FROM profiles WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?',
    )
    .pluck();
  const selectEventsOf = db.prepare<
    { profile: number; names: string },
    { type: string; event: string | null; timestamp: number; body: string }
  >(
    `SELECT type, event, timestamp, body FROM events
     WHERE profile_id IN (SELECT @profile UNION ALL SELECT id FROM profiles WHERE merged_into = @profile)
       AND type = 'track' AND event IN (SELECT value FROM json_each(@names))`,
  );
  const { backfill } = options;

  const memberCount = (id: string) => countMembers.get(id) ?? 0;
  const record = (row: AudienceRow, liveTotal = backfill.liveTotalOnce()): AudienceRecord => ({
    id: row.id,
    name: row.name,
    description: row.description,
    rule: JSON.parse(row.rule) as unknown,
    phase: row.phase,
    progress: backfill.progressOf(
      'audiences',
      { definition: row.rule, phase: row.phase, position: row.position },
      liveTotal,
    ),
    memberCount: memberCount(row.id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  /** The set with this definition put in (or taken out): throws RuleProblem if it cannot stand. */
  function checkedSet(id: string, definition: AudienceDefinition | undefined): void {
    const others = selectAll
      .all()
      .filter((row) => row.id !== id)
      .map(toAudienceDefinition);
    compileAudienceSet(definition ? [...others, definition] : others, 'rule', registry.current().allComputedTraits);
  }

  const save = db.transaction(
    (row: {
      id: string;
      name: string;
      description: string | null;
      rule: unknown;
      isNew: boolean;
      isRuleChanged: boolean;
    }) => {
      const parsed = parseRule(row.rule);
      checkedSet(row.id, { id: row.id, name: row.name, rule: parsed, phase: 'ready' });
      const at = now();
      const metrics = () => metricsOfAudience(JSON.stringify(row.rule), registry.current());
      const phase = row.isRuleChanged ? backfill.startMetrics(metrics()) : (selectOne.get(row.id)?.phase ?? 'ready');
      const params = {
        id: row.id,
        name: row.name,
        description: row.description,
        rule: JSON.stringify(row.rule),
        phase,
        at,
      };
      if (row.isNew) insertAudience.run(params);
      else updateAudience.run({ ...params, isRuleChanged: row.isRuleChanged ? 1 : 0 });
    },
  );

  const remove = db.transaction((id: string): boolean => {
    if (!selectOne.get(id)) return false;
    const user = selectAll
      .all()
      .find((row) =>
        leavesOf(parseRule(JSON.parse(row.rule))).some((leaf) => leaf.kind === 'audience' && leaf.audience === id),
      );
    if (user) throw new RuleProblem('id', `audience ${user.id} names this audience: change or delete it first`);
    deleteMembers.run(id);
    deleteCount.run(id);
    deleteAudience.run(id);
    backfill.forgetUnusedMetrics();
    return true;
  });

  const sweep = db.transaction((limit: number): number => {
    const due = options.state.dueProfiles(now(), limit);
    for (const profileId of due) engine.evaluateProfile(profileId, changes);
    return due.length;
  });

  const afterWrite = () => {
    registry.reload();
    options.committed();
  };

  return {
    summaries: async () => selectSummaries.all(),
    list: async () => {
      const liveTotal = backfill.liveTotalOnce();
      return selectAll.all().map((row) => record(row, liveTotal));
    },
    get: async (id) => {
      const row = selectOne.get(id);
      return row ? record(row) : undefined;
    },
    async create(input) {
      const id = `aud_${randomBytes(9).toString('base64url')}`;
      save({
        id,
        name: input.name,
        description: input.description ?? null,
        rule: input.rule,
        isNew: true,
        isRuleChanged: true,
      });
      afterWrite();
      return record(selectOne.get(id) as AudienceRow);
    },
    async update(id, input) {
      const existing = selectOne.get(id);
      if (!existing) return undefined;
      const rule = input.rule ?? (JSON.parse(existing.rule) as unknown);
      const isRuleChanged = input.rule !== undefined && JSON.stringify(input.rule) !== existing.rule;
      save({
        id,
        name: input.name ?? existing.name,
        description: input.description === undefined ? existing.description : input.description,
        rule,
        isNew: false,
        isRuleChanged,
      });
      afterWrite();
      return record(selectOne.get(id) as AudienceRow);
    },
    async remove(id) {
      const removed = remove(id);
      if (removed) afterWrite();
      return removed;
    },
    members: async (id, after, limit) =>
      selectMembers.all(id, after, limit).map((row) => ({
        profileId: row.profile_id,
        enteredAt: row.entered_at,
        isBackfill: row.is_backfill === 1,
      })),
    audiencesOf: async (profileId) =>
      selectAudiencesOf.all(profileId).map((row) => ({
        id: row.id,
        name: row.name,
        enteredAt: row.entered_at,
        isBackfill: row.is_backfill === 1,
      })),
    async preview(input) {
      const rule = parseRule(input);
      // Named audiences must exist; their stored membership is what the preview reads.
      checkedSet('preview', { id: 'preview', name: 'preview', rule, phase: 'ready' });
      const names = JSON.stringify(eventNamesOf(rule));
      const at = now();
      let after = 0;
      let size = 0;
      const sample: number[] = [];
      for (;;) {
        const ids = selectLiveIds.all(after, previewSlice);
        for (const profileId of ids) {
          const found = options.state.read(profileId);
          if (!found) continue;
          const events = selectEventsOf.all({ profile: profileId, names }).map((row) => ({
            type: row.type,
            name: row.event,
            timestamp: row.timestamp,
            properties: (JSON.parse(row.body) as { properties?: unknown }).properties,
          }));
          if (matchesPreview(rule, registry.current(), found.contact, found.profile, events, at)) {
            size += 1;
            if (sample.length < 10) sample.push(profileId);
          }
        }
        if (ids.length < previewSlice) break;
        after = ids[ids.length - 1] as number;
        await nextTurn();
      }
      return { size, sample };
    },
    nextDueAt: async () => options.state.nextDueAt(),
    async sweepStep(limit) {
      const evaluated = sweep(limit);
      options.committed();
      return evaluated;
    },
    async backfillStep(maxEvents) {
      const outcome = backfill.step(maxEvents);
      if (outcome.isPhaseChanged) registry.reload();
      options.committed();
      return outcome.hasMore;
    },
    memberCounts: async () => new Map(countAllMembers.all().map((row) => [row.audience_id, row.n])),
  };
}
