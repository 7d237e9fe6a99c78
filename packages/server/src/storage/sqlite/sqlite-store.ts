import { valueOfState } from '../../audiences/aggregate.js';
import { createAudienceEngine } from '../../audiences/audience-engine.js';
import type { IdentityRules } from '../../identity/identity-rules.js';
import { createRecordingIdentityStore } from '../../identity/recording-identity-store.js';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { createTicketCodec } from '../../personalize/stream-ticket.js';
import type { Store } from '../store.js';
import { createAudienceBackfill } from './audiences/audience-backfill.js';
import { createSqliteAudienceState } from './audiences/sqlite-audience-state.js';
import { createAudienceRegistry, createSqliteAudienceStore } from './audiences/sqlite-audience-store.js';
import { createSqliteComputedTraitStore } from './audiences/sqlite-computed-trait-store.js';
import { createCompanyQueries } from './company-queries.js';
import { createContactImports } from './contacts/contact-import.js';
import { createContactMerge } from './contacts/contact-merge.js';
import { createContactNotes } from './contacts/contact-notes.js';
import { createContactQueries } from './contacts/contact-queries.js';
import { createContactSearch } from './contacts/contact-search.js';
import { createContactWrites } from './contacts/contact-writes.js';
import { createCredentialStore } from './credential-store.js';
import type { SqliteDatabase } from './open-database.js';
import { createSqlitePublishableKeys } from './personalize/sqlite-publishable-keys.js';
import { createSqliteVisitorProfiles } from './personalize/sqlite-visitor-profiles.js';
import { createContactEraser } from './privacy/erase-contact.js';
import { createContactExporter } from './privacy/export-contact.js';
import { loadIdentifierHasher } from './privacy/identifier-hash.js';
import { createPrivacyLookup } from './privacy/privacy-lookup.js';
import { createSuppressions } from './privacy/suppressions.js';
import { loadCursorCodec, readServerSecret } from './server-secrets.js';
import { createSqliteChanges } from './sqlite-change-store.js';
import { createSqliteEventStore } from './sqlite-event-store.js';
import { createSqliteIdentityStore } from './sqlite-identity-store.js';
import { createSqliteImportJobStore } from './sqlite-import-job-store.js';
import { createSqliteLeaseStore } from './sqlite-lease-store.js';
import { answeredAsync, type Synchronous } from './synchronous.js';
import {
  createSqliteAuditLog,
  createSqliteSavedViews,
  createSqliteUserAccounts,
  createSqliteUserSessions,
} from './users/sqlite-user-store.js';
import { createSqliteWebhookStore } from './webhooks/sqlite-webhook-store.js';

export interface SqliteStoreOptions {
  /** What ingest does with each event (ingest/server-pipeline.ts). */
  readonly pipeline: IngestPipeline;
  /** The identity rules hand-made contacts and merges follow. */
  readonly rules: IdentityRules;
  /** Epoch ms: stamps profiles, edits, notes, changes and erasures. */
  readonly now: () => number;
  /** Off only to measure what the change feed costs (bench:ingest); on otherwise. */
  readonly isChangeFeedOn?: boolean;
}

/**
 * Every store of the server on one (migrated) SQLite database: the one place they are wired. Every
 * write records its changes through one sink in its own transaction, and wakes the feed's readers
 * once it has committed.
 */
export function createSqliteStore(db: SqliteDatabase, options: SqliteStoreOptions): Store {
  const { rules, now } = options;
  const hash = loadIdentifierHasher(db);
  const changes = createSqliteChanges(db, now, options.isChangeFeedOn ?? true);
  // Audience membership follows every change as it is recorded (audiences/audience-engine.ts).
  const audienceState = createSqliteAudienceState(db);
  const registry = createAudienceRegistry(db);
  const engine = createAudienceEngine({ state: audienceState, audiences: registry.current, now });
  const backfill = createAudienceBackfill(db, { registry, engine, state: audienceState, changes: changes.sink, now });
  const computedTraitsKnown = (name: string) => {
    const trait = registry.current().computedNamed(name);
    return trait ? { valueWithoutEvents: valueOfState(trait.aggregate, undefined) } : undefined;
  };
  const ingestSink = engine.ingestSink(changes.sink);
  const adminSink = engine.adminSink(changes.sink);
  const unit = {
    identity: createRecordingIdentityStore(createSqliteIdentityStore(db, now), ingestSink),
    privacy: createPrivacyLookup(db, hash),
    changes: ingestSink,
  };
  // A write answered through a promise; once its transaction has returned it has committed.
  const writing = <T extends object>(sync: Synchronous<T>): T => answeredAsync(afterEach(sync, changes.committed));
  const queries = createContactQueries(db);
  const computedTraits = createSqliteComputedTraitStore(db, registry, {
    now,
    state: audienceState,
    backfill,
    committed: changes.committed,
  });
  return {
    events: writing(createSqliteEventStore(db, options.pipeline, unit)),
    contacts: {
      queries: answeredAsync(queries),
      writes: writing(createContactWrites(db, now, adminSink)),
      notes: writing(createContactNotes(db, now, adminSink)),
      merges: writing(createContactMerge(db, rules, now, adminSink)),
      search: answeredAsync(createContactSearch(db, queries, computedTraitsKnown)),
      imports: writing(createContactImports(db, now, adminSink, unit.privacy)),
    },
    companies: answeredAsync(createCompanyQueries(db)),
    privacy: {
      eraser: createContactEraser(db, { hash, now, changes: changes.sink, onCommitted: changes.committed }),
      exporter: answeredAsync(createContactExporter(db)),
      suppressions: answeredAsync(createSuppressions(db, hash)),
    },
    credentials: answeredAsync(createCredentialStore(db, now)),
    // onCommit registers a listener and answers at once: it is the one member not behind a promise.
    changes: { ...answeredAsync(changes.store), onCommit: changes.store.onCommit },
    cursors: loadCursorCodec(db),
    audiences: createSqliteAudienceStore(db, registry, {
      now,
      state: audienceState,
      engine,
      changes: changes.sink,
      committed: changes.committed,
      backfill,
    }),
    webhooks: createSqliteWebhookStore(db),
    computedTraits,
    personalize: {
      keys: answeredAsync(createSqlitePublishableKeys(db, now)),
      tickets: createTicketCodec(readServerSecret(db, 'stream_ticket_key')),
      ...createSqliteVisitorProfiles(db, { privacy: unit.privacy, computedValuesOf: computedTraits.valuesOf }),
    },
    users: {
      accounts: answeredAsync(createSqliteUserAccounts(db, now)),
      sessions: answeredAsync(createSqliteUserSessions(db, now)),
      audit: answeredAsync(createSqliteAuditLog(db, now)),
      views: answeredAsync(createSqliteSavedViews(db)),
    },
    leases: answeredAsync(createSqliteLeaseStore(db, now)),
    importJobs: answeredAsync(createSqliteImportJobStore(db)),
  };
}

/** The same methods, each followed by `after` once it has returned. */
function afterEach<T extends object>(sync: Synchronous<T>, after: () => void): Synchronous<T> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(sync)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            const result = member(...args);
            after();
            return result;
          }
        : member;
  }
  return wrapped as Synchronous<T>;
}
