import type { Aggregate } from './aggregate.js';
import { type Leaf, leavesOf, type Rule, ruleLimits, type ValueTest } from './audience-rule.js';
import { type ComputedTraitDefinition, metricOfCalculation } from './computed-trait.js';
import { type EventMetric, metricOf } from './event-metric.js';
import type { Retention } from './hour-buckets.js';
import { RuleProblem } from './parse-rule.js';

/** Where an audience's backfill stands: only `evaluating` and `ready` audiences are evaluated on ingest. */
export type AudiencePhase = 'backfilling' | 'evaluating' | 'ready';

export interface AudienceDefinition {
  readonly id: string;
  readonly name: string;
  readonly rule: Rule;
  readonly phase: AudiencePhase;
}

/** One audience, with what its evaluation reads. */
export interface CompiledAudience extends AudienceDefinition {
  readonly metricKeys: readonly string[];
  /** It has a trait leaf: a change to the contact (traits, fields, identities) may flip it. */
  readonly readsContact: boolean;
  /** The computed traits its trait leaves name (`computed.<name>`): a change to one may flip it. */
  readonly computedReads: readonly string[];
  /**
   * Its tests on lastSeenAt, which (nearly) every event moves forward: it is evaluated again only
   * for an event that changes one of their answers (audience-engine.ts).
   */
  readonly lastSeenTests: readonly ValueTest[];
  /**
   * Its tests on eventCount, which every event raises by one: it is evaluated again only for an
   * event that changes one of their answers (audience-engine.ts).
   */
  readonly eventCountTests: readonly ValueTest[];
  /** Audiences it names in `{ audience }` leaves. */
  readonly uses: readonly string[];
}

/** A computed trait with the metric that keeps its per-hour states. */
export interface CompiledComputedTrait extends ComputedTraitDefinition {
  readonly metric: EventMetric;
}

/**
 * Every audience, compiled for ingest: in dependency order (an audience after those it names), with
 * the metrics to count per event name and what each audience reads. Built once per definition change.
 */
export interface AudienceSet {
  /** Dependencies first; every audience, whatever its phase. */
  readonly ordered: readonly CompiledAudience[];
  /** The evaluated audiences with tests on eventCount. */
  readonly countReaders: readonly CompiledAudience[];
  /** The evaluated audiences with tests on lastSeenAt. */
  readonly seenReaders: readonly CompiledAudience[];
  /** Metrics to count for a track event of this name, with how long each keeps its hours. */
  metricsFor(eventName: string): readonly { readonly metric: EventMetric; readonly retention: Retention }[];
  /**
   * The evaluated audiences (phase evaluating or ready) to evaluate again for a contact when the given
   * audiences may have changed, with every audience that names one of them, in dependency order.
   */
  withDependents(ids: ReadonlySet<string>): readonly CompiledAudience[];
  /**
   * The evaluated audiences to evaluate again when these things changed for a contact, with every
   * audience that names one of them, in dependency order. A reason is `contact` (traits, fields,
   * identities), `metric:<key>` (a count), `computed:<name>` (a computed trait's value) or `audience:<id>` (that one audience).
   * Worked out once per combination of reasons and kept: events bring few combinations.
   */
  evaluationPlan(reasons: ReadonlySet<string>): readonly CompiledAudience[];
  readonly evaluated: readonly CompiledAudience[];
  /** The computed traits whose values are kept (phase evaluating or ready). */
  readonly computedTraits: readonly CompiledComputedTrait[];
  /** The kept computed traits a change to these metrics' hours may change. */
  computedReading(metricKeys: ReadonlySet<string>): readonly CompiledComputedTrait[];
  /** Every computed trait, whatever its phase. */
  readonly allComputedTraits: readonly CompiledComputedTrait[];
  /** A computed trait by name, whatever its phase. */
  computedNamed(name: string): CompiledComputedTrait | undefined;
  /** How a metric's hour states combine: count for an event leaf's, its computed trait's aggregate otherwise. */
  aggregateOf(metricKey: string): Aggregate;
}

/**
 * Checks that every named audience exists, no audience names itself through others, and no chain is
 * deeper than ruleLimits.maxAudienceDepth; then compiles. `path` names the rule in errors.
 */
export function compileAudienceSet(
  definitions: readonly AudienceDefinition[],
  path = 'rule',
  computedDefinitions: readonly ComputedTraitDefinition[] = [],
): AudienceSet {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const computedNames = new Set(computedDefinitions.map((definition) => definition.name));
  const compiled = new Map<string, CompiledAudience>();
  for (const definition of definitions) {
    compiled.set(definition.id, compileOne(definition, byId, computedNames, path));
  }
  const ordered = orderByDependency(compiled, path);
  const evaluated = ordered.filter((audience) => audience.phase !== 'backfilling');
  const byEvent = new Map<string, { metric: EventMetric; retention: Retention }[]>();
  const seen = new Set<string>();
  for (const audience of ordered) {
    for (const leaf of leavesOf(audience.rule)) {
      if (leaf.kind !== 'event' || seen.has(metricOf(leaf).key)) continue;
      const metric = metricOf(leaf);
      seen.add(metric.key);
      byEvent.set(metric.event, [...(byEvent.get(metric.event) ?? []), { metric, retention: metric.retention }]);
    }
  }
  const allComputed = computedDefinitions.map((definition) => ({
    ...definition,
    metric: metricOfCalculation(definition),
  }));
  const aggregates = new Map<string, Aggregate>();
  for (const { metric } of allComputed) {
    aggregates.set(metric.key, metric.measure?.aggregate ?? 'count');
    if (seen.has(metric.key)) continue;
    seen.add(metric.key);
    byEvent.set(metric.event, [...(byEvent.get(metric.event) ?? []), { metric, retention: metric.retention }]);
  }
  const computedTraits = allComputed.filter((trait) => trait.phase !== 'backfilling');
  // Who reads each reason a contact is evaluated again for (evaluationPlan).
  const readersOf = new Map<string, string[]>();
  const reads = (reason: string, id: string) => readersOf.set(reason, [...(readersOf.get(reason) ?? []), id]);
  for (const audience of evaluated) {
    if (audience.readsContact) reads('contact', audience.id);
    for (const name of audience.computedReads) reads(`computed:${name}`, audience.id);
    reads(`audience:${audience.id}`, audience.id);
    for (const key of audience.metricKeys) reads(`metric:${key}`, audience.id);
  }
  const plans = new Map<string, readonly CompiledAudience[]>();
  const dependents = new Map<string, string[]>();
  for (const audience of ordered) {
    for (const used of audience.uses) dependents.set(used, [...(dependents.get(used) ?? []), audience.id]);
  }
  return {
    ordered,
    evaluated,
    countReaders: evaluated.filter((audience) => audience.eventCountTests.length > 0),
    seenReaders: evaluated.filter((audience) => audience.lastSeenTests.length > 0),
    metricsFor: (eventName) => byEvent.get(eventName) ?? [],
    computedTraits,
    allComputedTraits: allComputed,
    computedNamed: (name) => allComputed.find((trait) => trait.name === name),
    computedReading: (keys) => computedTraits.filter((trait) => keys.has(trait.metric.key)),
    aggregateOf: (key) => aggregates.get(key) ?? 'count',
    withDependents(ids) {
      const wanted = new Set(ids);
      for (const audience of ordered) {
        if (wanted.has(audience.id)) for (const next of dependents.get(audience.id) ?? []) wanted.add(next);
      }
      return evaluated.filter((audience) => wanted.has(audience.id));
    },
    evaluationPlan(reasons) {
      const key = [...reasons].sort().join('\n');
      let plan = plans.get(key);
      if (!plan) {
        const touched = new Set<string>();
        for (const reason of reasons) for (const id of readersOf.get(reason) ?? []) touched.add(id);
        plan = this.withDependents(touched);
        if (plans.size > 1_000) plans.clear();
        plans.set(key, plan);
      }
      return plan;
    },
  };
}

function compileOne(
  definition: AudienceDefinition,
  byId: ReadonlyMap<string, AudienceDefinition>,
  computedNames: ReadonlySet<string>,
  path: string,
): CompiledAudience {
  const leaves: Leaf[] = leavesOf(definition.rule);
  const uses: string[] = [];
  const metricKeys = new Set<string>();
  let readsContact = false;
  const computedReads: string[] = [];
  const lastSeenTests: ValueTest[] = [];
  const eventCountTests: ValueTest[] = [];
  for (const leaf of leaves) {
    if (leaf.kind === 'audience') {
      if (!byId.has(leaf.audience))
        throw new RuleProblem(path, `names audience ${leaf.audience}, which does not exist`);
      uses.push(leaf.audience);
    } else if (leaf.kind === 'event') metricKeys.add(metricOf(leaf).key);
    else if (leaf.trait.startsWith('computed.')) {
      const name = leaf.trait.slice('computed.'.length);
      if (!computedNames.has(name)) throw new RuleProblem(path, `names computed trait ${name}, which does not exist`);
      computedReads.push(name);
    } else {
      readsContact = true;
      if (leaf.trait === 'lastSeenAt') lastSeenTests.push(leaf);
      if (leaf.trait === 'eventCount') eventCountTests.push(leaf);
    }
  }
  return {
    ...definition,
    metricKeys: [...metricKeys],
    readsContact,
    computedReads,
    lastSeenTests,
    eventCountTests,
    uses,
  };
}

/** Depth-first, dependencies first; a cycle or a chain deeper than the limit is refused. */
function orderByDependency(compiled: ReadonlyMap<string, CompiledAudience>, path: string): CompiledAudience[] {
  const ordered: CompiledAudience[] = [];
  // How many audiences the longest chain from each one holds, itself included.
  const depths = new Map<string, number>();
  const visit = (id: string, chain: readonly string[]): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    if (chain.includes(id))
      throw new RuleProblem(path, `audiences name each other in a cycle: ${[...chain, id].join(' → ')}`);
    const audience = compiled.get(id) as CompiledAudience;
    let depth = 1;
    for (const used of audience.uses) depth = Math.max(depth, 1 + visit(used, [...chain, id]));
    if (depth > ruleLimits.maxAudienceDepth) {
      throw new RuleProblem(path, `audiences nest deeper than ${ruleLimits.maxAudienceDepth}, through ${id}`);
    }
    depths.set(id, depth);
    ordered.push(audience);
    return depth;
  };
  for (const id of compiled.keys()) visit(id, []);
  return ordered;
}
