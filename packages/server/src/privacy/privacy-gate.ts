import type { IdentityRules } from '../identity/identity-rules.js';
import { readIdentityEvent } from '../identity/read-identity-event.js';
import type { IngestGate } from '../ingest/pipeline.js';
import type { PrivacyCounters } from './privacy-counters.js';

/**
 * Refuses an event when one of its identifiers is suppressed, or was erased after the event's
 * timestamp (a retry or late arrival from before the erasure; a newer event starts a new, empty
 * profile). While both lists are empty, which is the usual case, an event costs nothing here.
 * It reads an event's identifiers exactly as the resolver does (readIdentityEvent), whatever the
 * event's write key may join on: an erased person stays erased whichever key sends their events.
 */
export function createPrivacyGate(rules: IdentityRules, counters: PrivacyCounters): IngestGate {
  let checks = { erasures: false, suppressions: false };
  return {
    name: 'privacy',
    begin(unit) {
      checks = unit.privacy.hasAny();
    },
    admit(event, unit) {
      if (!checks.erasures && !checks.suppressions) return true;
      const { identifiers } = readIdentityEvent(event.fields, rules);
      if (checks.suppressions && identifiers.some((identifier) => unit.privacy.isSuppressed(identifier))) {
        counters.suppressedDiscarded++;
        return false;
      }
      const isErasedSince = (erasedAt: number | undefined) => erasedAt !== undefined && event.timestamp < erasedAt;
      if (checks.erasures && identifiers.some((identifier) => isErasedSince(unit.privacy.erasedAt(identifier)))) {
        counters.erasedDiscarded++;
        return false;
      }
      return true;
    },
  };
}
