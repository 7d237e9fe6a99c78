import type { ChangeSink, IngestChangeSink, NewChange } from '../changes/change.js';
import type { AudienceSet, CompiledAudience } from './audience-set.js';
import type { AudienceProfile, AudienceState } from './audience-state.js';
import { type ContactSnapshot, contactValue } from './contact-values.js';
import { evaluateRule } from './evaluate-rule.js';
import { metricCounts } from './event-metric.js';
import { addToHours, type HourCounts, sumHours } from './hour-buckets.js';
import { testValue } from './value-test.js';

export interface AudienceEngineDeps {
  readonly state: AudienceState;
  /** The audiences as currently defined (the store recompiles them when a definition changes). */
  readonly audiences: () => AudienceSet;
  readonly now: () => number;
}

/**
 * Keeps audience membership current from the changes every write records: wraps the change sink,
 * so that ingest, admin edits and merges all reach it, in the transaction that made the change.
 * - event.stored (with its event): the metrics that count it get the event in their hour; the
 *   audiences reading those metrics are evaluated, and those whose eventCount or lastSeenAt tests
 *   it flips.
 * - contact.created and contact.merged: every audience is evaluated (leaves true by absence too);
 *   the absorbed contacts leave their audiences and their counts join the survivor's.
 * - contact.updated and contact.identified: audiences with trait leaves are evaluated.
 * An entry or exit is recorded as audience.entered / audience.exited right after what caused it.
 * Each contact's record (audience-state.ts) is read once and written once per unit of work.
 */
export interface AudienceEngine {
  /** The sink for ingest: a profile is evaluated once, at its event's event.stored. */
  ingestSink(inner: ChangeSink): IngestChangeSink;
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

/** A contact being worked on: what it owes, and its record as read, changed in place. */
interface Work {
  readonly contact: ContactSnapshot;
  hours: Record<string, HourCounts>;
  members: Record<string, readonly [number, boolean]>;
  dueAt: number | null;
  /** lastSeenAt as the record last saw it (AudienceProfile.seenAt). */
  readonly seenAt: number | null;
  /** Every audience, or the reasons to evaluate some (AudienceSet.evaluationPlan). */
  owed: 'all' | Set<string>;
  isChanged: boolean;
}

/**
 * Whether a change could move any audience: checked before the contact's record is read, so that
 * events no audience counts or tests (a page view, when none reads eventCount or lastSeenAt) cost
 * nothing more.
 */
function mayConcern(change: NewChange, set: AudienceSet): boolean {
  switch (change.type) {
    case 'event.stored':
      return (
        set.countReaders.length > 0 ||
        set.seenReaders.length > 0 ||
        (change.event?.name != null && set.metricsFor(change.event.name).length > 0)
      );
    case 'contact.created':
    case 'contact.merged':
      return set.ordered.length > 0;
    case 'contact.updated':
    case 'contact.identified':
      return set.evaluationPlan(contactReason).length > 0;
    default:
      return false;
  }
}

const contactReason: ReadonlySet<string> = new Set(['contact']);

/** Tests whose answer, as the value grows, turns at most once (and always the same way). */
const monotoneOps = new Set(['gt', 'gte', 'lt', 'lte', 'before', 'after', 'exists', 'notExists']);

export function createAudienceEngine(deps: AudienceEngineDeps): AudienceEngine {
  const { state, now } = deps;

  function load(profileId: number): Work | undefined {
    const found = state.read(profileId);
    if (!found) return undefined;
    const { hours, members, dueAt, seenAt } = found.profile;
    return {
      contact: found.contact,
      hours: { ...hours },
      members: { ...members },
      dueAt,
      seenAt,
      owed: new Set(),
      isChanged: false,
    };
  }

  function owe(work: Work, reasons: 'all' | Iterable<string>): void {
    if (work.owed === 'all') return;
    if (reasons === 'all') work.owed = 'all';
    else for (const reason of reasons) work.owed.add(reason);
  }

  /** Counts the event in the metrics that count it; answers those metrics. */
  function countEvent(change: NewChange, work: Work, set: AudienceSet): Set<string> {
    const counted = new Set<string>();
    const event = change.event;
    if (!event || event.name === null) return counted;
    const at = now();
    for (const { metric, retention } of set.metricsFor(event.name)) {
      if (!metricCounts(metric, event)) continue;
      work.hours[metric.key] = addToHours(work.hours[metric.key] ?? [], event.timestamp, 1, retention, at);
      work.isChanged = true;
      counted.add(metric.key);
    }
    return counted;
  }

  /**
   * The audiences whose eventCount tests answer differently now than one event ago: an event raises
   * eventCount by exactly one (a merge, which adds more, evaluates every audience), so the others'
   * answers cannot have changed.
   */
  function countFlips(contact: ContactSnapshot, set: AudienceSet): string[] {
    const count = contact.fields.eventCount;
    if (typeof count !== 'number') return [];
    const at = now();
    return set.countReaders
      .filter((audience) =>
        audience.eventCountTests.some(
          (test) => testValue(count, test, at).matches !== testValue(count - 1, test, at).matches,
        ),
      )
      .map((audience) => `audience:${audience.id}`);
  }

  /**
   * The audiences whose lastSeenAt tests may answer differently now than before the event.
   * lastSeenAt only moves forward, and the record keeps the value it had when last written (at or
   * before the one this event replaced): for a test whose answer only turns one way as the value
   * grows, the same answer for both means it did not change in between either. Any other test, or
   * no record yet, counts as a flip.
   */
  function seenFlips(work: Work, set: AudienceSet): string[] {
    const seen = work.contact.fields.lastSeenAt;
    const before = work.seenAt;
    const at = now();
    return set.seenReaders
      .filter((audience) =>
        audience.lastSeenTests.some(
          (test) =>
            before === null ||
            !monotoneOps.has(test.op) ||
            testValue(seen, test, at).matches !== testValue(before, test, at).matches,
        ),
      )
      .map((audience) => `audience:${audience.id}`);
  }

  /** The absorbed contacts' counts join the survivor's; they leave their audiences. */
  function absorb(work: Work, sink: ChangeSink): void {
    for (const absorbed of state.takeAbsorbed(work.contact.profileId)) {
      for (const [key, hours] of Object.entries(absorbed.profile.hours)) {
        work.hours[key] = sumHours([work.hours[key] ?? [], hours]);
      }
      for (const audienceId of Object.keys(absorbed.profile.members)) {
        sink.record(membershipChange('audience.exited', absorbed.profileId, absorbed.contactId, audienceId, false));
      }
      work.isChanged = true;
    }
  }

  function react(change: NewChange, working: Map<number, Work | undefined>, sink: ChangeSink): void {
    const profileId = change.profileId;
    if (profileId === null) return;
    const set = deps.audiences();
    if (!mayConcern(change, set)) return;
    if (!working.has(profileId)) working.set(profileId, load(profileId));
    const work = working.get(profileId);
    if (!work) return;
    switch (change.type) {
      case 'event.stored':
        owe(
          work,
          [...countEvent(change, work, set)].map((key) => `metric:${key}`),
        );
        owe(work, countFlips(work.contact, set));
        owe(work, seenFlips(work, set));
        return;
      case 'contact.created':
        owe(work, 'all');
        return;
      case 'contact.merged':
        absorb(work, sink);
        owe(work, 'all');
        return;
      case 'contact.updated':
      case 'contact.identified':
        owe(work, contactReason);
        return;
      default:
        return;
    }
  }

  function settle(working: Map<number, Work | undefined>, sink: ChangeSink): void {
    const set = deps.audiences();
    for (const work of working.values()) {
      if (!work) continue;
      const audiences = work.owed === 'all' ? set.evaluated : set.evaluationPlan(work.owed);
      evaluate(work, audiences, work.owed === 'all', sink, false);
      save(work);
    }
    working.clear();
  }

  function save(work: Work): void {
    if (!work.isChanged) return;
    const seenAt = work.contact.fields.lastSeenAt as number;
    const profile: AudienceProfile = { hours: work.hours, members: work.members, dueAt: work.dueAt, seenAt };
    state.write(work.contact.profileId, profile);
  }

  /** Evaluates these audiences (dependency order) for a contact; answers how many memberships changed. */
  function evaluate(
    work: Work,
    audiences: readonly CompiledAudience[],
    isComplete: boolean,
    sink: ChangeSink,
    isBackfill: boolean,
  ): number {
    if (audiences.length === 0) return 0;
    const { contact, members } = work;
    const at = now();
    const facts = {
      value: (name: string) => contactValue(contact, name),
      hours: (key: string) => work.hours[key] ?? [],
      isMember: (id: string) => members[id] !== undefined,
    };
    let due = Number.POSITIVE_INFINITY;
    let changed = 0;
    for (const audience of audiences) {
      const answer = evaluateRule(audience.rule, facts, at);
      if (answer.changesAt !== undefined && answer.changesAt < due) due = answer.changesAt;
      if (answer.matches === (members[audience.id] !== undefined)) continue;
      changed += 1;
      const type = answer.matches ? 'audience.entered' : 'audience.exited';
      if (answer.matches) {
        members[audience.id] = [at, isBackfill];
        state.enter(audience.id, contact.profileId, at, isBackfill);
      } else {
        delete members[audience.id];
        state.exit(audience.id, contact.profileId);
      }
      sink.record(membershipChange(type, contact.profileId, contact.contactId, audience.id, isBackfill));
    }
    // A partial evaluation knows only its audiences' next change: it keeps an earlier one it did not
    // see, so a due time that only moves later (lastSeenAt moves on every event) is not rewritten on
    // every event; the sweeper's complete evaluation then finds the exact one.
    const next = isComplete ? due : Math.min(due, work.dueAt ?? Number.POSITIVE_INFINITY);
    const nextDue = Number.isFinite(next) ? next : null;
    if (changed > 0 || nextDue !== work.dueAt) work.isChanged = true;
    work.dueAt = nextDue;
    return changed;
  }

  const sinkOf = (inner: ChangeSink, settlesOn: (change: NewChange) => boolean): IngestChangeSink => {
    const working = new Map<number, Work | undefined>();
    return {
      record(change) {
        inner.record(change);
        try {
          react(change, working, inner);
          if (settlesOn(change)) settle(working, inner);
        } catch (error) {
          // The write's transaction rolls back: what was gathered for it goes with it.
          working.clear();
          throw error;
        }
      },
      beginEvent: () => working.clear(),
    };
  };

  return {
    ingestSink: (inner) => sinkOf(inner, (change) => change.type === 'event.stored'),
    adminSink: (inner) => sinkOf(inner, () => true),
    evaluateProfile(profileId, sink, options = {}) {
      const work = load(profileId);
      if (!work) return 0;
      const set = deps.audiences();
      const ids = options.audienceIds;
      const audiences = ids ? set.withDependents(ids) : set.evaluated;
      const changed = evaluate(work, audiences, ids === undefined, sink, options.isBackfill ?? false);
      save(work);
      return changed;
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
