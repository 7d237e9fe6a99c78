import { valueOfState } from './aggregate.js';
import type { Rule } from './audience-rule.js';
import type { AudienceSet } from './audience-set.js';
import type { AudienceProfile } from './audience-state.js';
import type { ContactSnapshot } from './contact-values.js';
import type { CountedEvent } from './event-metric.js';
import { matchesFromEvents } from './naive-membership.js';

/**
 * Whether a preview's rule holds for a contact: its events read from storage, the audiences it is
 * in and its computed values as its record keeps them (a trait with no value has its value with no
 * events). Both engines' previews answer through here.
 */
export function matchesPreview(
  rule: Rule,
  set: AudienceSet,
  contact: ContactSnapshot,
  record: Pick<AudienceProfile, 'members' | 'computed'>,
  events: readonly CountedEvent[],
  at: number,
): boolean {
  const computedValue = (name: string) => {
    const trait = set.computedNamed(name);
    return record.computed[name] ?? (trait ? valueOfState(trait.aggregate, undefined) : undefined);
  };
  const isMember = (id: string) => record.members[id] !== undefined;
  return matchesFromEvents(rule, contact, events, isMember, at, computedValue);
}
