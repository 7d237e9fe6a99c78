import type { IdentityRules } from '../../../identity/identity-rules.js';
import { readIdentityEvent } from '../../../identity/read-identity-event.js';
import type { IngestGate } from '../../../ingest/pipeline.js';
import type { PrivacyCounters } from '../../../privacy/privacy-counters.js';
import type { SqliteDatabase } from '../open-database.js';
import { loadIdentifierHasher } from './identifier-hash.js';

export interface PrivacyGateOptions {
  readonly db: SqliteDatabase;
  /** The identity rules, so the gate reads an event's identifiers exactly as the resolver does. */
  readonly rules: IdentityRules;
  readonly counters: PrivacyCounters;
}

/**
 * Refuses an event when one of its identifiers is suppressed, or was erased after the event's
 * timestamp (a retry or late arrival from before the erasure; a newer event starts a new, empty
 * profile). While both lists are empty, which is the usual case, an event costs nothing here.
 */
export function createPrivacyGate({ db, rules, counters }: PrivacyGateOptions): IngestGate {
  const hash = loadIdentifierHasher(db);
  const anyErasure = db.prepare('SELECT EXISTS (SELECT 1 FROM erasures)').pluck();
  const anySuppression = db.prepare('SELECT EXISTS (SELECT 1 FROM suppressions)').pluck();
  const erasedAt = db.prepare<[string], number>('SELECT erased_at FROM erasures WHERE identifier_hash = ?').pluck();
  const suppressed = db.prepare<[string], number>('SELECT 1 FROM suppressions WHERE identifier_hash = ?').pluck();
  let checkErasures = false;
  let checkSuppressions = false;

  return {
    name: 'privacy',
    begin() {
      checkErasures = anyErasure.get() === 1;
      checkSuppressions = anySuppression.get() === 1;
    },
    admit(event) {
      if (!checkErasures && !checkSuppressions) return true;
      const { identifiers } = readIdentityEvent(JSON.parse(event.body) as Record<string, unknown>, rules);
      const hashes = identifiers.map(hash);
      if (checkSuppressions && hashes.some((key) => suppressed.get(key) !== undefined)) {
        counters.suppressedDiscarded++;
        return false;
      }
      if (checkErasures && hashes.some((key) => event.timestamp < (erasedAt.get(key) ?? Number.NEGATIVE_INFINITY))) {
        counters.erasedDiscarded++;
        return false;
      }
      return true;
    },
  };
}
