import { createHash } from 'node:crypto';
import { type Aggregate, aggregates } from './aggregate.js';
import type { AgeWindow, PropertyTest } from './audience-rule.js';
import type { AudiencePhase } from './audience-set.js';
import { type EventMetric, retentionClassOf } from './event-metric.js';
import { isObject, onlyKeys, RuleProblem, readName, readWhere, readWindow } from './parse-rule.js';

/**
 * A computed trait (docs/audiences.md): one aggregate of a track event's property within a window,
 * kept current per contact as the event's metric is (event-metric.ts), shown on the contact as
 * `computedTraits.<name>`, read by audience rules and search as `computed.<name>`.
 */
export interface ComputedCalculation {
  readonly event: string;
  readonly where: readonly PropertyTest[];
  readonly aggregate: Aggregate;
  /** A dotted path into the event's properties; optional for count (then every matching event counts). */
  readonly property?: string;
  /** `within` only (newest is 0); all time when not given. */
  readonly window: AgeWindow;
}

export interface ComputedTraitDefinition extends ComputedCalculation {
  readonly id: string;
  /** What rules and search call it: `computed.<name>`. */
  readonly name: string;
  readonly phase: AudiencePhase;
}

/** A computed trait's name: letters, digits, _ and -, so that `computed.<name>` reads as one path everywhere. */
export const computedNamePattern = /^[A-Za-z0-9_-]{1,100}$/;

/** Reads an untrusted calculation `{ event, where?, aggregate, property?, within? }`; throws RuleProblem. */
export function parseComputedCalculation(input: unknown, path = 'calculation'): ComputedCalculation {
  if (!isObject(input)) throw new RuleProblem(path, 'must be an object { event, aggregate, property, within }');
  onlyKeys(input, ['event', 'where', 'aggregate', 'property', 'within'], path);
  const aggregate = input.aggregate;
  if (typeof aggregate !== 'string' || !(aggregates as readonly string[]).includes(aggregate)) {
    throw new RuleProblem(`${path}.aggregate`, `must be one of ${aggregates.join(', ')}`);
  }
  const property = input.property === undefined ? undefined : readName(input.property, `${path}.property`);
  if (property === undefined && aggregate !== 'count') {
    throw new RuleProblem(`${path}.property`, `is needed with ${aggregate}: the event property it aggregates`);
  }
  return {
    event: readName(input.event, `${path}.event`),
    where: readWhere(input.where, `${path}.where`),
    aggregate: aggregate as Aggregate,
    ...(property === undefined ? {} : { property }),
    window: readWindow(input, path),
  };
}

/** Reads a computed trait's name; throws RuleProblem. */
export function parseComputedName(input: unknown, path = 'name'): string {
  if (typeof input !== 'string' || !computedNamePattern.test(input)) {
    throw new RuleProblem(path, 'must be 1 to 100 letters, digits, _ or -');
  }
  return input;
}

const metrics = new WeakMap<ComputedCalculation, EventMetric>();

/** The metric that keeps a calculation's per-hour states; calculations alike share one. */
export function metricOfCalculation(calculation: ComputedCalculation): EventMetric {
  const known = metrics.get(calculation);
  if (known) return known;
  const retention = retentionClassOf(calculation.window.oldest);
  const measure = {
    aggregate: calculation.aggregate,
    ...(calculation.property === undefined ? {} : { property: calculation.property }),
  };
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        calculation.event,
        calculation.where,
        retention.keepsAllTime ? 'all' : retention.oldestMs,
        measure.aggregate,
        measure.property ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);
  const metric: EventMetric = { key, event: calculation.event, where: calculation.where, retention, measure };
  metrics.set(calculation, metric);
  return metric;
}
