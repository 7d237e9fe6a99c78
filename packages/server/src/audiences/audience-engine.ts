import type { ChangeSink, IngestChangeSink, NewChange } from '../changes/change.js';
import { valueOfState } from './aggregate.js';
import type { AudienceSet, CompiledAudience, CompiledComputedTrait } from './audience-set.js';
import type { AudienceProfile, AudienceState } from './audience-state.js';
import { type ContactSnapshot, contactValue } from './contact-values.js';
import { evaluateRule } from './evaluate-rule.js';
import { addEvent } from './event-metric.js';
import { combineHours, type HourCounts, type HourStates, stateInWindow } from './hour-buckets.js';
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
 * Computed traits whose metric changed are worked out again before the audiences (a rule may read
 * them); a value that changed is recorded as a contact.updated `{computed: {name: {old, new}}}`.
 * An entry or exit is recorded as audience.entered / audience.exited right after what caused it.
 * Each contact's record (audience-state.ts) is read once and written once per unit of work.
 */
export interface AudienceEngine {
  /**
   * The sink for ingest: a profile is evaluated once per transaction, when its events are all
   * written (IngestChangeSink.endUnit), however many of them it has.
   */
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
  contact: ContactSnapshot;
  /** The event (of its transaction) during which the contact was read. */
  readonly readInEvent: number;
  /** A later event changed it: it is read again before it is evaluated. */
  isContactStale: boolean;
  /** Events of the contact counted since it was read: each raised eventCount by one. */
  eventsCounted: number;
  hours: Record<string, HourStates>;
  computed: Record<string, unknown>;
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
      return set.ordered.length > 0;
    case 'contact.merged':
      return set.ordered.length > 0 || set.computedTraits.length > 0;
    case 'contact.updated':
    case 'contact.identified':
      return set.evaluationPlan(contactReason).length > 0;
    default:
      return false;
  }
}

const contactReason: ReadonlySet<string> = new Set(['contact']);

/** Past this many events of one contact in one transaction, its eventCount audiences are simply evaluated. */
const maxCountSteps = 32;

/** Tests whose answer, as the value grows, turns at most once (and always the same way). */
const monotoneOps = new Set(['gt', 'gte', 'lt', 'lte', 'before', 'after', 'exists', 'notExists']);

export function createAudienceEngine(deps: AudienceEngineDeps): AudienceEngine {
  const { state, now } = deps;

  function load(profileId: number, eventIndex: number): Work | undefined {
    const found = state.read(profileId);
    if (!found) return undefined;
    const { hours, computed, members, dueAt, seenAt } = found.profile;
    return {
      contact: found.contact,
      readInEvent: eventIndex,
      isContactStale: false,
      eventsCounted: 0,
      hours: { ...hours },
      computed: { ...computed },
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
    for (const { metric } of set.metricsFor(event.name)) {
      const hours = addEvent(metric, work.hours[metric.key] ?? [], event, at);
      if (hours === undefined) continue;
      work.hours[metric.key] = hours;
      work.isChanged = true;
      counted.add(metric.key);
    }
    return counted;
  }

  /**
   * The audiences whose eventCount tests answer differently now than `events` events ago: each event
   * raised eventCount by exactly one (a merge, which adds more, evaluates every audience), so an
   * audience whose tests answer the same for every count in between cannot have changed.
   */
  function countFlips(contact: ContactSnapshot, events: number, set: AudienceSet): string[] {
    const count = contact.fields.eventCount;
    if (typeof count !== 'number' || events === 0) return [];
    const at = now();
    const turns = (test: (typeof set.countReaders)[number]['eventCountTests'][number]) => {
      if (events > maxCountSteps) return true;
      const now = testValue(count, test, at).matches;
      for (let before = count - events; before < count; before++) {
        if (testValue(before, test, at).matches !== now) return true;
      }
      return false;
    };
    return set.countReaders
      .filter((audience) => audience.eventCountTests.some(turns))
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

  /**
   * The absorbed contacts' counts join the survivor's; they leave their audiences. One of them may
   * be in this transaction's work: what was gathered for it is written first, so that its record
   * is whole when the survivor takes it, and it is worked on no more.
   */
  function absorb(work: Work, working: Map<number, Work | undefined>, set: AudienceSet, sink: ChangeSink): void {
    for (const [profileId, other] of working) {
      if (!other || profileId === work.contact.profileId) continue;
      save(other);
      // Read again before it is evaluated: one with no record yet is merged away all the same.
      other.isContactStale = true;
    }
    for (const absorbed of state.takeAbsorbed(work.contact.profileId)) {
      working.delete(absorbed.profileId);
      for (const [key, hours] of Object.entries(absorbed.profile.hours)) {
        work.hours[key] = combineHours([work.hours[key] ?? [], hours], set.aggregateOf(key));
      }
      for (const audienceId of Object.keys(absorbed.profile.members)) {
        sink.record(membershipChange('audience.exited', absorbed.profileId, absorbed.contactId, audienceId, false));
      }
      work.isChanged = true;
    }
  }

  function react(
    change: NewChange,
    working: Map<number, Work | undefined>,
    sink: ChangeSink,
    eventIndex: number,
  ): void {
    const profileId = change.profileId;
    if (profileId === null) return;
    const set = deps.audiences();
    if (!mayConcern(change, set)) return;
    if (!working.has(profileId)) working.set(profileId, load(profileId, eventIndex));
    const work = working.get(profileId);
    if (!work) return;
    // An event's changes are recorded once its identity writes are done: a contact read during
    // one of its changes is current until a later event changes it.
    if (eventIndex !== work.readInEvent) work.isContactStale = true;
    switch (change.type) {
      case 'event.stored':
        owe(
          work,
          [...countEvent(change, work, set)].map((key) => `metric:${key}`),
        );
        work.eventsCounted += 1;
        return;
      case 'contact.created':
        owe(work, 'all');
        return;
      case 'contact.merged':
        absorb(work, working, set, sink);
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
      if (work.isContactStale) {
        const contact = state.read(work.contact.profileId)?.contact;
        if (!contact) continue;
        work.contact = contact;
      }
      if (work.eventsCounted > 0) {
        owe(work, countFlips(work.contact, work.eventsCounted, set));
        owe(work, seenFlips(work, set));
      }
      const isComplete = work.owed === 'all';
      const traits = work.owed === 'all' ? set.computedTraits : set.computedReading(metricKeysOf(work.owed));
      const computedDue = recompute(work, traits, sink);
      const audiences = work.owed === 'all' ? set.evaluated : set.evaluationPlan(work.owed);
      evaluate(work, audiences, isComplete, computedDue, sink, false);
      save(work);
    }
    working.clear();
  }

  function save(work: Work): void {
    if (!work.isChanged) return;
    work.isChanged = false;
    const seenAt = work.contact.fields.lastSeenAt as number;
    const profile: AudienceProfile = {
      hours: work.hours,
      members: work.members,
      computed: work.computed,
      dueAt: work.dueAt,
      seenAt,
    };
    state.write(work.contact.profileId, profile);
  }

  /**
   * Works these computed traits out again from the contact's hours; records the values that changed
   * (owing the audiences that read them); answers when time alone next changes one of them.
   */
  function recompute(work: Work, traits: readonly CompiledComputedTrait[], sink: ChangeSink): number {
    let due = Number.POSITIVE_INFINITY;
    if (traits.length === 0) return due;
    const at = now();
    const changed: Record<string, { old: unknown; new: unknown }> = {};
    let isAnyChanged = false;
    for (const trait of traits) {
      const inWindow = stateInWindow(work.hours[trait.metric.key] ?? [], trait.window, at, trait.aggregate);
      if (inWindow.changesAt !== undefined && inWindow.changesAt < due) due = inWindow.changesAt;
      const value = valueOfState(trait.aggregate, inWindow.state);
      const before = work.computed[trait.name] ?? valueOfState(trait.aggregate, undefined);
      if (sameValue(before, value)) continue;
      changed[trait.name] = { old: before, new: value };
      isAnyChanged = true;
      if (sameValue(value, valueOfState(trait.aggregate, undefined))) delete work.computed[trait.name];
      else work.computed[trait.name] = value;
      owe(work, [`computed:${trait.name}`]);
    }
    if (isAnyChanged) {
      work.isChanged = true;
      const { profileId, contactId } = work.contact;
      sink.record({ type: 'contact.updated', profileId, contactId, data: { computed: changed } });
    }
    return due;
  }

  /** Evaluates these audiences (dependency order) for a contact; answers how many memberships changed. */
  function evaluate(
    work: Work,
    audiences: readonly CompiledAudience[],
    isComplete: boolean,
    computedDue: number,
    sink: ChangeSink,
    isBackfill: boolean,
  ): number {
    const { contact, members } = work;
    const at = now();
    const set = deps.audiences();
    const facts = {
      value: (name: string) =>
        contactValue(contact, name, (trait) => {
          const known = set.computedNamed(trait);
          return work.computed[trait] ?? (known ? valueOfState(known.aggregate, undefined) : undefined);
        }),
      hours: (key: string) => (work.hours[key] ?? []) as HourCounts,
      isMember: (id: string) => members[id] !== undefined,
    };
    let due = computedDue;
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

  /** Runs `work`; if it throws, the write's transaction rolls back, and what was gathered goes with it. */
  const guarded = (working: Map<number, Work | undefined>, work: () => void) => {
    try {
      work();
    } catch (error) {
      working.clear();
      throw error;
    }
  };

  return {
    ingestSink(inner) {
      const working = new Map<number, Work | undefined>();
      let eventIndex = 0;
      return {
        record(change) {
          inner.record(change);
          guarded(working, () => react(change, working, inner, eventIndex));
        },
        beginUnit() {
          working.clear();
          eventIndex = 0;
        },
        beginEvent() {
          eventIndex += 1;
        },
        endUnit: () => guarded(working, () => settle(working, inner)),
      };
    },
    adminSink(inner) {
      const working = new Map<number, Work | undefined>();
      return {
        record(change) {
          inner.record(change);
          guarded(working, () => {
            react(change, working, inner, 0);
            settle(working, inner);
          });
        },
      };
    },
    evaluateProfile(profileId, sink, options = {}) {
      const work = load(profileId, 0);
      if (!work) return 0;
      const set = deps.audiences();
      const ids = options.audienceIds;
      const audiences = ids ? set.withDependents(ids) : set.evaluated;
      const isComplete = ids === undefined;
      // A backfill's audiences may read computed traits: their values are made current first.
      const computedDue = recompute(work, set.computedTraits, sink);
      const changed = evaluate(work, audiences, isComplete, computedDue, sink, options.isBackfill ?? false);
      save(work);
      return changed;
    },
  };
}

/** The metric keys among evaluation reasons (`metric:<key>`). */
function metricKeysOf(reasons: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>();
  for (const reason of reasons) if (reason.startsWith('metric:')) keys.add(reason.slice('metric:'.length));
  return keys;
}

/** Computed values are numbers, strings, booleans, null or lists of them: their JSON text is their identity. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
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
