// The parts of the store ported to PostgreSQL so far, on a test schema of their own, with a clock the
// test moves: what the contract suites and the differential tests run against. Not part of the build.
import type { AudienceStore } from '../../audiences/audience-store.js';
import type { ComputedTraitStore } from '../../audiences/computed-trait-store.js';
import type { CompanyQueries } from '../../companies/company-store.js';
import type { ContactStore } from '../../contacts/contact-store.js';
import { DEFAULT_IDENTITY_RULES } from '../../identity/identity-rules.js';
import { createIdentityCounters } from '../../identity/resolve-identity.js';
import { createServerPipeline } from '../../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../../privacy/privacy-counters.js';
import type { PrivacyStore } from '../../privacy/privacy-store.js';
import type { WebhookStore } from '../../webhooks/webhook-store.js';
import type { EventStore } from '../event-store.js';
import { migrate } from '../sqlite/migrate.js';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database.js';
import { createSqliteStore } from '../sqlite/sqlite-store.js';
import type { Store } from '../store.js';
import { contractStart } from '../store-harness.contract.js';
import { createPostgresAudienceRegistry } from './audiences/postgres-audience-registry.js';
import { createPostgresAudienceStore } from './audiences/postgres-audience-store.js';
import { computedTraitsKnown, createPostgresComputedTraitStore } from './audiences/postgres-computed-trait-store.js';
import { createPostgresContactImports } from './contacts/postgres-contact-imports.js';
import { createPostgresContactMerge } from './contacts/postgres-contact-merge.js';
import { createPostgresContactNotes } from './contacts/postgres-contact-notes.js';
import { createPostgresContactQueries } from './contacts/postgres-contact-queries.js';
import { createPostgresContactSearch } from './contacts/postgres-contact-search.js';
import { createPostgresContactWrites } from './contacts/postgres-contact-writes.js';
import { createPostgresChangeFeed, type PostgresChangeFeed } from './postgres-change-feed.js';
import { createPostgresCompanyQueries } from './postgres-company-queries.js';
import { createPostgresEventStore } from './postgres-event-store.js';
import type { PostgresPool } from './postgres-pool.js';
import { loadPostgresCursorCodec, loadPostgresIdentifierHasher } from './postgres-server-secrets.js';
import { openTestSchema, type TestSchema, testPostgresUrl } from './postgres-test-kit.js';
import { createPostgresContactEraser } from './privacy/postgres-contact-eraser.js';
import { createPostgresContactExporter } from './privacy/postgres-contact-exporter.js';
import { createPostgresSuppressions } from './privacy/postgres-suppressions.js';
import { createPostgresWebhookStore } from './webhooks/postgres-webhook-store.js';

export const testRules = DEFAULT_IDENTITY_RULES;
export const testPipeline = () =>
  createServerPipeline({
    rules: testRules,
    counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
  });

export interface PostgresParts {
  readonly events: EventStore;
  readonly changes: PostgresChangeFeed;
  readonly contacts: ContactStore;
  readonly companies: CompanyQueries;
  readonly privacy: PrivacyStore;
  readonly webhooks: WebhookStore;
  readonly audiences: AudienceStore;
  readonly computedTraits: ComputedTraitStore;
}

/** The ported parts as one server has them, on `pool` (whose connections use `schema`), with `now` as its clock. */
export async function postgresParts(pool: PostgresPool, schema: string, now: () => number): Promise<PostgresParts> {
  const hash = await loadPostgresIdentifierHasher(pool);
  const cursors = await loadPostgresCursorCodec(pool);
  const registry = createPostgresAudienceRegistry();
  const queries = createPostgresContactQueries(pool);
  return {
    events: createPostgresEventStore(pool, {
      pipeline: testPipeline(),
      rules: testRules,
      hash,
      now,
      audiences: registry,
    }),
    changes: createPostgresChangeFeed(pool, { url: testPostgresUrl, schema, now }),
    contacts: {
      queries,
      search: createPostgresContactSearch(pool, { queries, cursors, computedTraits: () => computedTraitsKnown(pool) }),
      writes: createPostgresContactWrites(pool, now, registry),
      notes: createPostgresContactNotes(pool, now, cursors),
      merges: createPostgresContactMerge(pool, testRules, now, registry),
      imports: createPostgresContactImports(pool, { now, hash, audiences: registry }),
    },
    companies: createPostgresCompanyQueries(pool),
    privacy: {
      eraser: createPostgresContactEraser(pool, { hash, now }),
      exporter: createPostgresContactExporter(pool),
      suppressions: createPostgresSuppressions(pool, hash, cursors),
    },
    webhooks: createPostgresWebhookStore(pool),
    audiences: createPostgresAudienceStore(pool, { now, registry }),
    computedTraits: createPostgresComputedTraitStore(pool, { now, registry }),
  };
}

/** The ported parts on a new schema, with a clock starting at the contracts' start. */
export async function openPostgresParts(): Promise<{
  store: PostgresParts;
  clock: { time: number };
  schema: TestSchema;
  close(): Promise<void>;
}> {
  const schema = await openTestSchema();
  const clock = { time: contractStart };
  const store = await postgresParts(schema.pool, schema.schema, () => clock.time);
  return {
    store,
    clock,
    schema,
    async close() {
      await store.changes.close();
      await schema.close();
    },
  };
}

/**
 * The ported parts beside a SQLite store on an in-memory file, both on one clock: what the
 * differential tests feed the same writes and compare. `close` closes both.
 */
export async function openPostgresBesideSqlite(): Promise<
  Awaited<ReturnType<typeof openPostgresParts>> & { readonly sqlite: Store; readonly db: SqliteDatabase }
> {
  const postgres = await openPostgresParts();
  const db = openDatabase(':memory:');
  migrate(db);
  const sqlite = createSqliteStore(db, { pipeline: testPipeline(), rules: testRules, now: () => postgres.clock.time });
  return {
    ...postgres,
    sqlite,
    db,
    async close() {
      db.close();
      await postgres.close();
    },
  };
}
