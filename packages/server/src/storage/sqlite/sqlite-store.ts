import type { IdentityRules } from '../../identity/identity-rules.js';
import type { IdentityCounters } from '../../identity/resolve-identity.js';
import type { PrivacyCounters } from '../../privacy/privacy-counters.js';
import type { Store } from '../store.js';
import { createCompanyQueries } from './company-queries.js';
import { createContactMerge } from './contacts/contact-merge.js';
import { createContactNotes } from './contacts/contact-notes.js';
import { createContactQueries } from './contacts/contact-queries.js';
import { createContactSearch } from './contacts/contact-search.js';
import { createContactWrites } from './contacts/contact-writes.js';
import { createCredentialStore } from './credential-store.js';
import { createIdentityStep } from './identity-step.js';
import type { SqliteDatabase } from './open-database.js';
import { createContactEraser } from './privacy/erase-contact.js';
import { createContactExporter } from './privacy/export-contact.js';
import { loadIdentifierHasher } from './privacy/identifier-hash.js';
import { createPrivacyGate } from './privacy/privacy-gate.js';
import { createSuppressions } from './privacy/suppressions.js';
import { loadCursorCodec } from './server-secrets.js';
import { createSqliteEventStore } from './sqlite-event-store.js';
import { answeredAsync } from './synchronous.js';

export interface SqliteStoreOptions {
  /** The identity rules ingest, hand-made contacts and merges follow. */
  readonly rules: IdentityRules;
  readonly counters: { readonly identity: IdentityCounters; readonly privacy: PrivacyCounters };
  /** Epoch ms: stamps profiles, edits, notes and erasures. */
  readonly now: () => number;
}

/** Every store of the server on one (migrated) SQLite database: the one place they are wired. */
export function createSqliteStore(db: SqliteDatabase, options: SqliteStoreOptions): Store {
  const { rules, counters, now } = options;
  const hash = loadIdentifierHasher(db);
  const identity = createIdentityStep({ db, rules, counters: counters.identity, now });
  const privacy = createPrivacyGate({ db, rules, counters: counters.privacy });
  const queries = createContactQueries(db);
  return {
    events: answeredAsync(createSqliteEventStore(db, [identity], [privacy])),
    contacts: {
      queries: answeredAsync(queries),
      writes: answeredAsync(createContactWrites(db, now)),
      notes: answeredAsync(createContactNotes(db, now)),
      merges: answeredAsync(createContactMerge(db, rules, now)),
      search: answeredAsync(createContactSearch(db, queries)),
    },
    companies: answeredAsync(createCompanyQueries(db)),
    privacy: {
      eraser: createContactEraser(db, hash, now),
      exporter: answeredAsync(createContactExporter(db)),
      suppressions: answeredAsync(createSuppressions(db, hash)),
    },
    credentials: answeredAsync(createCredentialStore(db, now)),
    cursors: loadCursorCodec(db),
  };
}
