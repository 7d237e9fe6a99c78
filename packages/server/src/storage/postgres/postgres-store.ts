import type { IdentityRules } from '../../identity/identity-rules.js';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { createTicketCodec } from '../../personalize/stream-ticket.js';
import type { Store } from '../store.js';
import { createPostgresAudienceRegistry } from './audiences/postgres-audience-registry.js';
import { createPostgresAudienceStore } from './audiences/postgres-audience-store.js';
import { computedTraitsKnown, createPostgresComputedTraitStore } from './audiences/postgres-computed-trait-store.js';
import { createPostgresContactImports } from './contacts/postgres-contact-imports.js';
import { createPostgresContactMerge } from './contacts/postgres-contact-merge.js';
import { createPostgresContactNotes } from './contacts/postgres-contact-notes.js';
import { createPostgresContactQueries } from './contacts/postgres-contact-queries.js';
import { createPostgresContactSearch } from './contacts/postgres-contact-search.js';
import { createPostgresContactWrites } from './contacts/postgres-contact-writes.js';
import { migratePostgres } from './migrate.js';
import { createPostgresChangeFeed } from './postgres-change-feed.js';
import { createPostgresCompanyQueries } from './postgres-company-queries.js';
import { createPostgresCredentialStore } from './postgres-credential-store.js';
import { createPostgresEventStore } from './postgres-event-store.js';
import { createPostgresImportJobStore } from './postgres-import-job-store.js';
import { createPostgresLeaseStore } from './postgres-lease-store.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';
import { createPostgresPublishableKeys } from './postgres-publishable-keys.js';
import {
  loadPostgresCursorCodec,
  loadPostgresIdentifierHasher,
  readPostgresServerSecret,
} from './postgres-server-secrets.js';
import { createPostgresVisitorProfiles } from './postgres-visitor-profiles.js';
import { createPostgresContactEraser } from './privacy/postgres-contact-eraser.js';
import { createPostgresContactExporter } from './privacy/postgres-contact-exporter.js';
import { createPostgresSuppressions } from './privacy/postgres-suppressions.js';
import { createPostgresUserStore } from './users/postgres-user-store.js';
import { createPostgresWebhookStore } from './webhooks/postgres-webhook-store.js';

export interface PostgresStoreOptions {
  readonly pipeline: IngestPipeline;
  readonly rules: IdentityRules;
  readonly now: () => number;
  /** The connection string again: the change feed listens on a connection of its own. */
  readonly url: string;
  /** The schema every connection uses (tests give each a schema of its own); public by default. */
  readonly schema?: string | undefined;
  /** Off only for a benchmark that measures something else. */
  readonly maxLocksPerTransaction?: number | undefined;
}

/**
 * Every part of the store on PostgreSQL, on `pool`: what one Weft server has when several share a
 * database (docs/scaling.md). `events.close` stops the feed's listener and ends the pool.
 */
export async function postgresStoreOn(pool: PostgresPool, options: PostgresStoreOptions): Promise<Store> {
  const { now, rules } = options;
  const [hash, cursors, ticketKey] = await Promise.all([
    loadPostgresIdentifierHasher(pool),
    loadPostgresCursorCodec(pool),
    readPostgresServerSecret(pool, 'stream_ticket_key'),
  ]);
  const registry = createPostgresAudienceRegistry();
  const changes = createPostgresChangeFeed(pool, { url: options.url, schema: options.schema, now });
  const events = createPostgresEventStore(pool, {
    pipeline: options.pipeline,
    rules,
    hash,
    now,
    audiences: registry,
    ...(options.maxLocksPerTransaction ? { maxLocksPerTransaction: options.maxLocksPerTransaction } : {}),
  });
  const queries = createPostgresContactQueries(pool);
  const computedTraits = createPostgresComputedTraitStore(pool, { now, registry });
  return {
    events: {
      ...events,
      async close() {
        await changes.close();
        await events.close();
      },
    },
    contacts: {
      queries,
      writes: createPostgresContactWrites(pool, now, registry),
      notes: createPostgresContactNotes(pool, now, cursors),
      merges: createPostgresContactMerge(pool, rules, now, registry),
      search: createPostgresContactSearch(pool, { queries, cursors, computedTraits: () => computedTraitsKnown(pool) }),
      imports: createPostgresContactImports(pool, { now, hash, audiences: registry }),
    },
    companies: createPostgresCompanyQueries(pool),
    privacy: {
      eraser: createPostgresContactEraser(pool, { hash, now }),
      exporter: createPostgresContactExporter(pool),
      suppressions: createPostgresSuppressions(pool, hash, cursors),
    },
    credentials: createPostgresCredentialStore(pool, now),
    changes,
    cursors,
    audiences: createPostgresAudienceStore(pool, { now, registry }),
    computedTraits,
    webhooks: createPostgresWebhookStore(pool),
    personalize: {
      keys: createPostgresPublishableKeys(pool, now),
      tickets: createTicketCodec(ticketKey),
      ...createPostgresVisitorProfiles(pool, { hash, computedValuesOf: computedTraits.valuesOf }),
    },
    users: createPostgresUserStore(pool, now),
    leases: createPostgresLeaseStore(pool, now),
    importJobs: createPostgresImportJobStore(pool),
  };
}

/**
 * Opens the store on the database at `url`: a pool, the migrations (one server applies them while
 * the others wait on their advisory lock), then every part. A connection that fails while idle is
 * reported to `onPoolError`, not thrown: the pool opens another.
 */
export async function openPostgresStore(
  options: PostgresStoreOptions & { readonly poolSize?: number; readonly onPoolError: (error: Error) => void },
): Promise<{ readonly store: Store; readonly pool: PostgresPool }> {
  const pool = createPostgresPool(options.url, { schema: options.schema, max: options.poolSize });
  pool.on('error', options.onPoolError);
  try {
    await migratePostgres(pool);
    return { store: await postgresStoreOn(pool, options), pool };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
