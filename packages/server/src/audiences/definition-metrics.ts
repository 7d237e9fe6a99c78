import { leavesOf } from './audience-rule.js';
import type { AudienceSet } from './audience-set.js';
import { metricOfCalculation, parseComputedCalculation } from './computed-trait.js';
import { type EventMetric, metricsOfRule } from './event-metric.js';
import { parseRule } from './parse-rule.js';

/** The two kinds of definition a backfill brings up to date. */
export type DefinitionKind = 'audiences' | 'computed_traits';

/** The metrics an audience rule (JSON) reads: its event leaves' and those of the computed traits it names. */
export function metricsOfAudience(ruleJson: string, set: AudienceSet): EventMetric[] {
  const rule = parseRule(JSON.parse(ruleJson));
  const computed = leavesOf(rule).flatMap((leaf) => {
    const trait = leaf.kind === 'trait' && leaf.trait.startsWith('computed.') ? leaf.trait.slice(9) : undefined;
    const named = trait === undefined ? undefined : set.computedNamed(trait);
    return named ? [named.metric] : [];
  });
  return [...metricsOfRule(rule), ...computed];
}

/** The metric keys a definition (its rule or calculation, as JSON) reads. */
export function metricKeysOf(kind: DefinitionKind, definition: string, set: AudienceSet): string[] {
  return kind === 'audiences'
    ? metricsOfAudience(definition, set).map((metric) => metric.key)
    : [metricOfCalculation(parseComputedCalculation(JSON.parse(definition))).key];
}
