import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseSetting } from '../config/load-config.js';
import type { IdentityRules } from '../identity/identity-rules.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import { createRateLimiter, type RateLimiter, type RateLimitSettings } from '../ingest/rate-limit.js';
import { createPostgresRateLimiter } from './postgres/postgres-rate-limiter.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { redactPostgresUrl } from './postgres/postgres-url.js';
import { openDatabase, type SecureDelete } from './sqlite/open-database.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** A store opened for one server process, with what differs between the engines around it. */
export interface OpenedStore {
  readonly store: Store;
  /** Where it is, as a log line may show it (no password). */
  readonly shownAs: string;
  /**
   * This process among the servers sharing the database: the holder of its leases. On SQLite one
   * process opens the file at a time, so the holder outlives a restart and a new process renews its
   * crashed predecessor's leases at once. On PostgreSQL each process is a holder of its own: a
   * crashed server's leases run out (their TTL) before another takes its work.
   */
  readonly leaseHolder: string;
  /** The ingest rate limit: in this process on SQLite; shared by every server on PostgreSQL. */
  rateLimiter(settings: RateLimitSettings, now: () => number): RateLimiter;
}

export interface OpenStoreOptions {
  readonly pipeline: IngestPipeline;
  readonly rules: IdentityRules;
  readonly now: () => number;
  /** SQLite's page cache, MiB. */
  readonly cacheMb: number;
  /** SQLite only; changed only by a benchmark. */
  readonly secureDelete?: SecureDelete | undefined;
  /** SQLite only; off only to measure what the feed costs. */
  readonly isChangeFeedOn?: boolean | undefined;
  /** A PostgreSQL connection that failed while idle (the pool replaces it). */
  readonly onConnectionError: (error: Error) => void;
}

/** Opens WEFT_DB's store: SQLite by default, PostgreSQL for a postgres:// URL (migrated on open). */
export async function openStore(database: DatabaseSetting, options: OpenStoreOptions): Promise<OpenedStore> {
  if (database.kind === 'sqlite') {
    const db = openDatabase(database.path, { cacheMb: options.cacheMb, secureDelete: options.secureDelete ?? 'fast' });
    const store = createSqliteStore(db, {
      pipeline: options.pipeline,
      rules: options.rules,
      now: options.now,
      isChangeFeedOn: options.isChangeFeedOn ?? true,
    });
    return { store, shownAs: database.path, leaseHolder: 'sqlite-server', rateLimiter: createRateLimiter };
  }
  const { store, pool } = await openPostgresStore({
    url: database.url,
    poolSize: database.poolSize,
    pipeline: options.pipeline,
    rules: options.rules,
    now: options.now,
    onPoolError: options.onConnectionError,
  });
  return {
    store,
    shownAs: redactPostgresUrl(database.url),
    leaseHolder: `server-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
    rateLimiter: (settings, now) => createPostgresRateLimiter(pool, settings, now),
  };
}
