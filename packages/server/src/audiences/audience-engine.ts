import type { ChangeSink, NewChange } from '../changes/change.js';
import type { AudienceSet, CompiledAudience } from './audience-set.js';
import type { AudienceState } from './audience-state.js';
import { contactValue } from './contact-values.js';
import { evaluateRule } from './evaluate-rule.js';
import { metricCounts } from './event-metric.js';
import { addToHours, sumHours } from './hour-buckets.js';

export interface AudienceEngineDeps {
  readonly state: AudienceState;
  /** The audiences as currently defined (the store recompiles them when a definition changes). */
  readonly audiences: () => AudienceSet;
  readonly now: () => number;
}

/** Which audiences a profile owes an evaluation: every one, or those that read what changed. */
type Owed = 'all' | Set<string>;

/**
 * Keeps audience membership current from the changes every write records: wraps the change sink,
 * so that ingest, admin edits and merges all reach it, in the transaction that made the change.
 * - event.stored (with its event): the metrics that count it get the event in their hour; the
 *   audiences reading those metrics (or the contact's activity) are evaluated.
 * - contact.created and contact.merged: every audience is evaluated (leaves true by absence too);
 *   the absorbed profiles leave their audiences.
 * - contact.updated and contact.identified: audiences with trait leaves are evaluated.
 * An entry or exit is recorded as audience.entered / audience.exited right after what caused it.
 */
export interface AudienceEngine {
  /** The sink for ingest: a profile is evaluated once, at its event's event.stored. */
  ingestSink(inner: ChangeSink): ChangeSink;
  /** The sink for admin writes: each change is evaluated as it is recorded. */
  adminSink(inner: ChangeSink): ChangeSink;
  /**
   * Evaluates every audience for one profile (the sweeper), or only `audienceIds` and those that name
   * them (a backfill); answers how many memberships changed.
   */
  evaluateProfile(
    profileId: number,
    sink: ChangeSink,
    options?: { readonly audienceIds?: ReadonlySet<string>; readonly isBackfill?: boolean },
  ): number;
}

export function createAudienceEngine(deps: AudienceEngineDeps): AudienceEngine {
  const { state, now } = deps;

  function owe(owed: Map<number, Owed>, profileId: number, ids: Owed): void {
    const existing = owed.get(profileId);
    if (existing === 'all') return;
    if (ids === 'all' || !existing) owed.set(profileId, ids === 'all' ? 'all' : new Set(ids));
    else for (const id of ids) existing.add(id);
  }

  /** Counts the event in its metrics; answers the metrics it changed. */
  function countEvent(change: NewChange, set: AudienceSet): Set<string> {
    const changed = new Set<string>();
    const event = change.event;
    if (!event || change.profileId === null || event.name === null) return changed;
    const at = now();
    for (const { metric, retention } of set.metricsFor(event.name)) {
      if (!metricCounts(metric, event)) continue;
      const own = state.readOwnHours(change.profileId, metric.key);
      state.writeOwnHours(change.profileId, metric.key, addToHours(own, event.timestamp, 1, retention, at));
      changed.add(metric.key);
    }
    return changed;
  }

  function react(change: NewChange, owed: Map<number, Owed>, sink: ChangeSink): void {
    const profileId = change.profileId;
    if (profileId === null) return;
    const set = deps.audiences();
    if (set.ordered.length === 0) return;
    switch (change.type) {
      case 'event.stored': {
        const metricKeys = countEvent(change, set);
        owe(owed, profileId, set.touchedBy({ metricKeys, activity: true }));
        return;
      }
      case 'contact.created':
        owe(owed, profileId, 'all');
        return;
      case 'contact.merged':
        exitAbsorbed(profileId, sink);
        owe(owed, profileId, 'all');
        return;
      case 'contact.updated':
      case 'contact.identified':
        owe(owed, profileId, set.touchedBy({ contact: true }));
        return;
      default:
        return;
    }
  }

  function exitAbsorbed(profileId: number, sink: ChangeSink): void {
    for (const entry of state.leaveAbsorbed(profileId)) {
      sink.record(membershipChange('audience.exited', entry.profileId, entry.contactId, entry.audienceId, false));
    }
  }

  function settle(owed: Map<number, Owed>, sink: ChangeSink): void {
    const set = deps.audiences();
    for (const [profileId, ids] of owed) {
      const audiences = ids === 'all' ? set.evaluated : set.withDependents(ids);
      if (audiences.length > 0) evaluate(profileId, audiences, ids === 'all', sink, false);
    }
    owed.clear();
  }

  /** Evaluates these audiences (dependency order) for a profile; answers how many memberships changed. */
  function evaluate(
    profileId: number,
    audiences: readonly CompiledAudience[],
    isComplete: boolean,
    sink: ChangeSink,
    isBackfill: boolean,
  ): number {
    const contact = state.readContact(profileId);
    if (!contact) return 0;
    const at = now();
    const metricKeys = [...new Set(audiences.flatMap((audience) => audience.metricKeys))];
    const hours = metricKeys.length > 0 ? state.readHours(profileId, metricKeys) : new Map();
    const memberships = state.memberships(profileId);
    const members = new Set(memberships.keys());
    const facts = {
      value: (name: string) => contactValue(contact, name),
      hours: (key: string) => sumHours(hours.get(key) ?? [[]]),
      isMember: (id: string) => members.has(id),
    };
    let due = Number.POSITIVE_INFINITY;
    let changed = 0;
    for (const audience of audiences) {
      const answer = evaluateRule(audience.rule, facts, at);
      if (answer.changesAt !== undefined) due = Math.min(due, answer.changesAt);
      if (answer.matches === members.has(audience.id)) continue;
      changed += 1;
      if (answer.matches) {
        members.add(audience.id);
        state.enter(audience.id, profileId, at, isBackfill);
        sink.record(membershipChange('audience.entered', profileId, contact.contactId, audience.id, isBackfill));
      } else {
        members.delete(audience.id);
        state.exit(audience.id, profileId);
        sink.record(membershipChange('audience.exited', profileId, contact.contactId, audience.id, isBackfill));
      }
    }
    // A partial evaluation knows only its audiences' next change: keep an earlier one it did not see.
    const previous = state.dueAt(profileId);
    const next = isComplete ? due : Math.min(due, previous ?? Number.POSITIVE_INFINITY);
    const nextDue = Number.isFinite(next) ? next : null;
    if (nextDue !== previous) state.setDue(profileId, nextDue);
    return changed;
  }

  const sinkOf = (inner: ChangeSink, settlesOn: (change: NewChange) => boolean): ChangeSink => {
    const owed = new Map<number, Owed>();
    return {
      record(change) {
        inner.record(change);
        react(change, owed, inner);
        if (settlesOn(change)) settle(owed, inner);
      },
    };
  };

  return {
    ingestSink: (inner) => sinkOf(inner, (change) => change.type === 'event.stored'),
    adminSink: (inner) => sinkOf(inner, () => true),
    evaluateProfile(profileId, sink, options = {}) {
      const set = deps.audiences();
      const ids = options.audienceIds;
      const audiences = ids ? set.withDependents(ids) : set.evaluated;
      return evaluate(profileId, audiences, ids === undefined, sink, options.isBackfill ?? false);
    },
  };
}

function membershipChange(
  type: 'audience.entered' | 'audience.exited',
  profileId: number,
  contactId: string,
  audienceId: string,
  isBackfill: boolean,
): NewChange {
  return { type, profileId, contactId, data: { audienceId, contactId, backfill: isBackfill } };
}
