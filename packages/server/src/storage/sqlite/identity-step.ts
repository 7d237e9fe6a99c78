import type { IdentityRules } from '../../identity/identity-rules.js';
import { restrictToJoinable } from '../../identity/join-rule.js';
import { readIdentityEvent } from '../../identity/read-identity-event.js';
import { type IdentityCounters, resolveIdentity } from '../../identity/resolve-identity.js';
import type { IngestStep } from '../../ingest/pipeline.js';
import type { SqliteDatabase } from './open-database.js';
import { createSqliteIdentityStore } from './sqlite-identity-store.js';

export interface IdentityStepOptions {
  readonly db: SqliteDatabase;
  readonly rules: IdentityRules;
  readonly counters: IdentityCounters;
  readonly now?: () => number;
}

/**
 * Resolves each newly stored event inside the transaction that stores it, and notes on the event
 * the profile it joined: an event is never stored without its profile update, nor the reverse.
 */
export function createIdentityStep(options: IdentityStepOptions): IngestStep {
  const { db, rules, counters } = options;
  const store = createSqliteIdentityStore(db, options.now);
  const setEventProfile = db.prepare('UPDATE events SET profile_id = ? WHERE source = ? AND message_id = ?');
  return {
    name: 'identity',
    apply(event) {
      const body = JSON.parse(event.body) as Record<string, unknown>;
      const joinable = restrictToJoinable(readIdentityEvent(body, rules), rules.joinOn, event.writeKeyKind);
      counters.identifiersNotJoined += joinable.leftOut;
      const profileId = resolveIdentity(joinable.event, {
        store,
        rules,
        counters,
        receivedAt: event.receivedAt,
      });
      if (profileId !== null) setEventProfile.run(profileId, event.source, event.messageId);
    },
  };
}
