import { type EventLeaf, type Leaf, leavesOf, type Rule, ruleLimits } from './audience-rule.js';
import { activityFields, contactFields } from './contact-values.js';
import { type EventMetric, metricOf, retentionOf } from './event-metric.js';
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
  /** It reads lastSeenAt or eventCount, which every event changes. */
  readonly readsActivity: boolean;
  /** Audiences it names in `{ audience }` leaves. */
  readonly uses: readonly string[];
}

/**
 * Every audience, compiled for ingest: in dependency order (an audience after those it names), with
 * the metrics to count per event name and what each audience reads. Built once per definition change.
 */
export interface AudienceSet {
  /** Dependencies first; every audience, whatever its phase. */
  readonly ordered: readonly CompiledAudience[];
  /** Metrics to count for a track event of this name, with how long each keeps its hours. */
  metricsFor(eventName: string): readonly { readonly metric: EventMetric; readonly retention: Retention }[];
  /**
   * The evaluated audiences (phase evaluating or ready) to evaluate again for a contact when the given
   * audiences may have changed, with every audience that names one of them, in dependency order.
   */
  withDependents(ids: ReadonlySet<string>): readonly CompiledAudience[];
  /** Evaluated audiences that read one of these metrics, the contact, or its activity. */
  touchedBy(change: { metricKeys?: ReadonlySet<string>; contact?: boolean; activity?: boolean }): Set<string>;
  readonly evaluated: readonly CompiledAudience[];
}

/**
 * Checks that every named audience exists, no audience names itself through others, and no chain is
 * deeper than ruleLimits.maxAudienceDepth; then compiles. `path` names the rule in errors.
 */
export function compileAudienceSet(definitions: readonly AudienceDefinition[], path = 'rule'): AudienceSet {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const compiled = new Map<string, CompiledAudience>();
  for (const definition of definitions) compiled.set(definition.id, compileOne(definition, byId, path));
  const ordered = orderByDependency(compiled, path);
  const evaluated = ordered.filter((audience) => audience.phase !== 'backfilling');
  const metrics = new Map<string, { metric: EventMetric; leaves: EventLeaf[] }>();
  for (const audience of ordered) {
    for (const leaf of leavesOf(audience.rule)) {
      if (leaf.kind !== 'event') continue;
      const metric = metricOf(leaf);
      const entry = metrics.get(metric.key) ?? { metric, leaves: [] };
      entry.leaves.push(leaf);
      metrics.set(metric.key, entry);
    }
  }
  const byEvent = new Map<string, { metric: EventMetric; retention: Retention }[]>();
  for (const { metric, leaves } of metrics.values()) {
    const list = byEvent.get(metric.event) ?? [];
    list.push({ metric, retention: retentionOf(leaves) });
    byEvent.set(metric.event, list);
  }
  const readingContact = evaluated.filter((audience) => audience.readsContact).map((audience) => audience.id);
  const readingActivity = evaluated.filter((audience) => audience.readsActivity).map((audience) => audience.id);
  const readingMetric = new Map<string, string[]>();
  for (const audience of evaluated) {
    for (const key of audience.metricKeys) readingMetric.set(key, [...(readingMetric.get(key) ?? []), audience.id]);
  }
  const dependents = new Map<string, string[]>();
  for (const audience of ordered) {
    for (const used of audience.uses) dependents.set(used, [...(dependents.get(used) ?? []), audience.id]);
  }
  return {
    ordered,
    evaluated,
    metricsFor: (eventName) => byEvent.get(eventName) ?? [],
    withDependents(ids) {
      const wanted = new Set(ids);
      for (const audience of ordered) {
        if (wanted.has(audience.id)) for (const next of dependents.get(audience.id) ?? []) wanted.add(next);
      }
      return evaluated.filter((audience) => wanted.has(audience.id));
    },
    touchedBy(change) {
      const touched = new Set<string>(change.contact ? readingContact : []);
      if (change.activity) for (const id of readingActivity) touched.add(id);
      for (const key of change.metricKeys ?? []) for (const id of readingMetric.get(key) ?? []) touched.add(id);
      return touched;
    },
  };
}

function compileOne(
  definition: AudienceDefinition,
  byId: ReadonlyMap<string, AudienceDefinition>,
  path: string,
): CompiledAudience {
  const leaves: Leaf[] = leavesOf(definition.rule);
  const uses: string[] = [];
  const metricKeys = new Set<string>();
  let readsContact = false;
  let readsActivity = false;
  for (const leaf of leaves) {
    if (leaf.kind === 'audience') {
      if (!byId.has(leaf.audience))
        throw new RuleProblem(path, `names audience ${leaf.audience}, which does not exist`);
      uses.push(leaf.audience);
    } else if (leaf.kind === 'event') metricKeys.add(metricOf(leaf).key);
    else {
      readsContact = true;
      const isField = (contactFields as readonly string[]).includes(leaf.trait);
      if (isField && (activityFields as readonly string[]).includes(leaf.trait)) readsActivity = true;
    }
  }
  return { ...definition, metricKeys: [...metricKeys], readsContact, readsActivity, uses };
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
