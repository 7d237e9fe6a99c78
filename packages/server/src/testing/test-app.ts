import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { onTestFinished } from 'vitest';
import type { AppDeps } from '../app.js';
import { createApp } from '../app.js';
import type { CredentialStore } from '../auth/credential-store.js';
import type { AppEnv } from '../http/app-env.js';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createServerPipeline } from '../ingest/server-pipeline.js';
import { createJsonLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import type { EventStore } from '../storage/event-store.js';
import { postgresStoreOn } from '../storage/postgres/postgres-store.js';
import { openTestSchema, testPostgresUrl } from '../storage/postgres/postgres-test-kit.js';
import { createCredentialStore } from '../storage/sqlite/credential-store.js';
import type { SqliteDatabase } from '../storage/sqlite/open-database.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Synchronous } from '../storage/sqlite/synchronous.js';
import type { Store } from '../storage/store.js';

export const testStart = Date.parse('2026-03-01T12:00:00.000Z');

/** What a test may set: the app's settings, and an event store to put in place of the real one. */
export type TestAppOptions = Partial<Omit<AppDeps, 'store' | 'metrics'>> & { readonly events?: EventStore };

/**
 * A real app on a real (in-memory) SQLite database, wired by the server's own createSqliteStore,
 * with a clock and ids the test controls.
 */
export function createTestApp(options: TestAppOptions = {}): TestApp {
  const db = openDatabase(':memory:');
  const clock = { time: testStart, now: () => clock.time };
  // Synchronous, for tests to set up keys in one line; the app gets the store's own.
  const credentials = createCredentialStore(db, clock.now);
  const writeKey = credentials.create('write_key').secret;
  const metrics = createMetrics();
  const rules = options.identityRules ?? DEFAULT_IDENTITY_RULES;
  const pipeline = createServerPipeline({ rules, counters: metrics });
  const store = createSqliteStore(db, { pipeline, rules, now: clock.now });
  const wired = wireTestApp(
    store,
    metrics,
    clock,
    writeKey,
    async () => credentials.create('admin_token').secret,
    options,
  );
  return { ...wired, db, store, clock, credentials, writeKey };
}

/** The engine the route suites of the matrix run on (vitest.config.ts): WEFT_TEST_STORE, SQLite by default. */
export type TestEngine = 'sqlite' | 'postgres';
export const testEngine: TestEngine = process.env.WEFT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A test app on either engine: what a route suite in the matrix uses (no SQLite handle, no synchronous keys). */
export interface EngineTestApp extends Omit<TestApp, 'db' | 'credentials'> {
  readonly engine: TestEngine;
  /** A new secret of this kind, made through the store. */
  createSecret(kind: 'write_key' | 'admin_token'): Promise<string>;
  /** Rows of a statement written so that both engines run it alike; `?` stands for each parameter. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The events table in the order stored, its body parsed (storedEvents on either engine). */
  storedEvents(): Promise<StoredRow[]>;
  /** Closes the database under the app, as if it had gone away. */
  closeDatabase(): Promise<void>;
  /**
   * Closes the app's database and drops its schema now rather than when the test ends: for a
   * property test that opens an app per run (PostgreSQL has a connection limit).
   */
  close(): Promise<void>;
  /** SQLite's own handle, on SQLite only: for checks only SQLite has (integrity_check, index drift). */
  readonly sqlite?: SqliteDatabase;
}

/**
 * Who closes the app: the test that opened it, when it ends (the default); or the caller, with
 * close(), for an app a whole file shares (opened in beforeAll, closed in afterAll).
 */
export interface TestAppLifetime {
  readonly closedBy: 'test' | 'caller';
}

/**
 * The same app on the engine `testEngine` names: an in-memory SQLite file, or a PostgreSQL schema
 * of its own (dropped when the test ends), with the server's own store on it.
 */
export async function openTestApp(
  options: TestAppOptions = {},
  lifetime: TestAppLifetime = { closedBy: 'test' },
): Promise<EngineTestApp> {
  const clock = { time: testStart, now: () => clock.time };
  const metrics = createMetrics();
  const rules = options.identityRules ?? DEFAULT_IDENTITY_RULES;
  const pipeline = createServerPipeline({ rules, counters: metrics });
  let store: Store;
  let query: EngineTestApp['query'];
  let closeDatabase: EngineTestApp['closeDatabase'];
  let close: EngineTestApp['close'];
  let sqlite: SqliteDatabase | undefined;
  if (testEngine === 'sqlite') {
    const db = openDatabase(':memory:');
    sqlite = db;
    store = createSqliteStore(db, { pipeline, rules, now: clock.now });
    query = async <T>(sql: string, params: readonly unknown[] = []) => sqliteRows<T>(db, sql, params);
    closeDatabase = async () => {
      db.close();
    };
    close = async () => {
      if (db.open) db.close();
    };
    if (lifetime.closedBy === 'test') onTestFinished(close);
  } else {
    const schema = await openTestSchema();
    store = await postgresStoreOn(schema.pool, {
      pipeline,
      rules,
      now: clock.now,
      url: testPostgresUrl,
      schema: schema.schema,
    });
    const opened = store;
    query = schema.query;
    let isDatabaseClosed = false;
    let dropped: Promise<void> | undefined;
    closeDatabase = async () => {
      isDatabaseClosed = true;
      await opened.events.close();
    };
    close = () => {
      dropped ??= (async () => {
        if (!isDatabaseClosed) await opened.events.close();
        await schema.close();
      })();
      return dropped;
    };
    if (lifetime.closedBy === 'test') onTestFinished(close);
  }
  const createSecret = async (kind: 'write_key' | 'admin_token') => (await store.credentials.create(kind)).secret;
  const writeKey = await createSecret('write_key');
  const wired = wireTestApp(store, metrics, clock, writeKey, () => createSecret('admin_token'), options);
  const readEvents = async () =>
    (await query<StoredRow & { body: string }>('SELECT * FROM events ORDER BY id')).map(storedRowOf);
  return {
    ...wired,
    engine: testEngine,
    store,
    clock,
    writeKey,
    createSecret,
    query,
    storedEvents: readEvents,
    closeDatabase,
    close,
    ...(sqlite ? { sqlite } : {}),
  };
}

/** The app on `store`, with the requests every test app makes. */
function wireTestApp(
  store: Store,
  metrics: ReturnType<typeof createMetrics>,
  clock: { time: number; now: () => number },
  writeKey: string,
  adminSecret: () => Promise<string>,
  options: TestAppOptions,
) {
  const logLines: Record<string, unknown>[] = [];
  let nextId = 0;
  const { events, ...settings } = options;
  const app = createApp({
    store: events ? { ...store, events } : store,
    metrics,
    logger: createJsonLogger('info', (line) => logLines.push(JSON.parse(line))),
    now: clock.now,
    newMessageId: () => `generated-${++nextId}`,
    publicUrl: 'https://weft.example.com',
    ...settings,
  });

  function post(path: string, body: unknown, init: PostInit = {}) {
    const headers = new Headers(init.headers);
    const key = init.writeKey === undefined ? writeKey : init.writeKey;
    if (key !== null) headers.set('Authorization', basicAuth(key));
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    let payload: string | Uint8Array = typeof body === 'string' ? body : JSON.stringify(body);
    if (init.gzip) {
      payload = new Uint8Array(gzipSync(payload));
      headers.set('Content-Encoding', 'gzip');
    }
    return Promise.resolve(app.request(path, { method: 'POST', headers, body: payload }));
  }

  let metricsToken: string | undefined;
  async function readMetrics(): Promise<string> {
    metricsToken ??= await adminSecret();
    const response = await app.request('/metrics', { headers: { Authorization: `Bearer ${metricsToken}` } });
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    return response.text();
  }

  return { app, logLines, post, readMetrics };
}

export interface TestApp {
  readonly app: Hono<AppEnv>;
  readonly db: SqliteDatabase;
  /** The app's store (its events store is the real one, whatever `events` the test passed). */
  readonly store: Store;
  readonly clock: { time: number; now: () => number };
  /** The store's credentials, synchronous, so that a test makes a key in one line. */
  readonly credentials: Synchronous<CredentialStore>;
  readonly writeKey: string;
  readonly logLines: Record<string, unknown>[];
  post(path: string, body: unknown, init?: PostInit): Promise<Response>;
  /** GET /metrics as an admin: the Prometheus text. */
  readMetrics(): Promise<string>;
}

export interface PostInit {
  /** Sent as HTTP Basic; null sends no Authorization header. Defaults to the app's write key. */
  readonly writeKey?: string | null;
  readonly headers?: Record<string, string>;
  readonly gzip?: boolean;
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

export interface StoredRow {
  source: string;
  type: string;
  message_id: string;
  user_id: string | null;
  anonymous_id: string | null;
  event: string | null;
  timestamp: number;
  received_at: number;
  body: Record<string, unknown>;
}

/** The rows of a statement on SQLite, or none for one that returns no rows (EngineTestApp.query). */
export function sqliteRows<T>(db: SqliteDatabase, sql: string, params: readonly unknown[] = []): T[] {
  const statement = db.prepare(sql);
  if (statement.reader) return statement.all(...params) as T[];
  statement.run(...params);
  return [];
}

export function storedEvents(db: SqliteDatabase): StoredRow[] {
  const rows = db.prepare('SELECT * FROM events ORDER BY id').all() as (Omit<StoredRow, 'body'> & { body: string })[];
  return rows.map(storedRowOf);
}

/** A row of either engine as a StoredRow: PostgreSQL answers BIGINT as text. */
function storedRowOf(row: Omit<StoredRow, 'body'> & { body: string }): StoredRow {
  return {
    ...row,
    timestamp: Number(row.timestamp),
    received_at: Number(row.received_at),
    body: JSON.parse(row.body) as Record<string, unknown>,
  };
}
