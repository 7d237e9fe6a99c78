import type { IngestStep } from '../ingest/pipeline.js';
import type { IdentityRules } from './identity-rules.js';
import { restrictToJoinable } from './join-rule.js';
import { readIdentityEvent } from './read-identity-event.js';
import { type IdentityCounters, resolveIdentity } from './resolve-identity.js';

/**
 * Resolves each new event inside the transaction that stores it, and answers the profile it joined,
 * which the event's row is then written with: an event is never stored without its profile update,
 * nor the reverse. The resolver's contact changes go to the feed as the event's own.
 */
export function createIdentityStep(rules: IdentityRules, counters: IdentityCounters): IngestStep {
  return {
    name: 'identity',
    apply(event, unit) {
      const joinable = restrictToJoinable(readIdentityEvent(event.fields, rules), rules.joinOn, event.writeKeyKind);
      counters.identifiersNotJoined += joinable.leftOut;
      const profile = resolveIdentity(joinable.event, {
        store: unit.identity,
        rules,
        counters,
        receivedAt: event.receivedAt,
      });
      unit.identity.flush();
      return profile === null ? {} : { profileId: profile.id, contactId: profile.contactId };
    },
  };
}
