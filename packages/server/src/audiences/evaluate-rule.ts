import type { Leaf, Rule } from './audience-rule.js';
import { metricOf } from './event-metric.js';
import { countInWindow, type HourCounts } from './hour-buckets.js';
import { type TestAnswer, testValue } from './value-test.js';

/** What a rule reads about one contact. */
export interface ContactFacts {
  /** A field, trait or computed trait by the name a trait leaf gives (audience-facts.ts). */
  value(name: string): unknown;
  /** The contact's hour counts of one metric (event-metric.ts), its absorbed profiles' included. */
  hours(metricKey: string): HourCounts;
  isMember(audienceId: string): boolean;
}

/**
 * Whether a contact matches a rule at `now`, and the earliest instant at which time alone could
 * change that (a window edge, a relative date): the sweeper evaluates the contact again then.
 * `changesAt` is conservative (any leaf's), which costs an evaluation, never a missed change.
 */
export function evaluateRule(rule: Rule, facts: ContactFacts, now: number): TestAnswer {
  switch (rule.kind) {
    case 'all':
    case 'any': {
      let changesAt = Number.POSITIVE_INFINITY;
      let matches = rule.kind === 'all';
      for (const child of rule.rules) {
        const answer = evaluateRule(child, facts, now);
        if (answer.changesAt !== undefined) changesAt = Math.min(changesAt, answer.changesAt);
        if (rule.kind === 'all') matches &&= answer.matches;
        else matches ||= answer.matches;
      }
      return Number.isFinite(changesAt) ? { matches, changesAt } : { matches };
    }
    case 'not': {
      const answer = evaluateRule(rule.rule, facts, now);
      return { ...answer, matches: !answer.matches };
    }
    default:
      return evaluateLeaf(rule, facts, now);
  }
}

function evaluateLeaf(leaf: Leaf, facts: ContactFacts, now: number): TestAnswer {
  switch (leaf.kind) {
    case 'trait':
      return testValue(facts.value(leaf.trait), leaf, now);
    case 'audience':
      return { matches: facts.isMember(leaf.audience) === leaf.member };
    case 'event': {
      const counted = countInWindow(facts.hours(metricOf(leaf).key), leaf.window, now);
      const n = leaf.count.n;
      const c = counted.count;
      const op = leaf.count.op;
      const matches =
        op === 'eq'
          ? c === n
          : op === 'neq'
            ? c !== n
            : op === 'gt'
              ? c > n
              : op === 'gte'
                ? c >= n
                : op === 'lt'
                  ? c < n
                  : c <= n;
      return counted.changesAt === undefined ? { matches } : { matches, changesAt: counted.changesAt };
    }
  }
}
