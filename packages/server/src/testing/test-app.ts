import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { createApp } from '../app.js';
import type { CredentialStore } from '../auth/credential-store.js';
import { createCredentialStore } from '../auth/credential-store.js';
import type { AppEnv } from '../http/app-env.js';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createIdentityStep } from '../identity/identity-step.js';
import { createJsonLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { createPrivacyGate } from '../privacy/privacy-gate.js';
import type { SqliteDatabase } from '../storage/open-database.js';
import { openDatabase } from '../storage/open-database.js';
import { createSqliteEventStore } from '../storage/sqlite-event-store.js';

export const testStart = Date.parse('2026-03-01T12:00:00.000Z');

/** A real app on a real (in-memory) SQLite database, with a clock and ids the test controls. */
export function createTestApp(overrides: Partial<AppDeps> = {}): TestApp {
  const db = openDatabase(':memory:');
  const clock = { time: testStart, now: () => clock.time };
  const credentials = createCredentialStore(db, clock.now);
  const writeKey = credentials.create('write_key').secret;
  const logLines: Record<string, unknown>[] = [];
  let nextId = 0;
  const metrics = overrides.metrics ?? createMetrics();
  const rules = overrides.identityRules ?? DEFAULT_IDENTITY_RULES;
  const identity = createIdentityStep({
    db,
    rules,
    counters: metrics.identity,
    now: clock.now,
  });
  const privacy = createPrivacyGate({ db, rules, counters: metrics.privacy });
  const app = createApp({
    db,
    store: createSqliteEventStore(db, [identity], [privacy]),
    metrics,
    credentials,
    logger: createJsonLogger('info', (line) => logLines.push(JSON.parse(line))),
    now: clock.now,
    newMessageId: () => `generated-${++nextId}`,
    publicUrl: 'https://weft.example.com',
    ...overrides,
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
    metricsToken ??= credentials.create('admin_token').secret;
    const response = await app.request('/metrics', { headers: { Authorization: `Bearer ${metricsToken}` } });
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    return response.text();
  }

  return { app, db, clock, credentials, writeKey, logLines, post, readMetrics };
}

export interface TestApp {
  readonly app: Hono<AppEnv>;
  readonly db: SqliteDatabase;
  readonly clock: { time: number; now: () => number };
  readonly credentials: CredentialStore;
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

export function storedEvents(db: SqliteDatabase): StoredRow[] {
  const rows = db.prepare('SELECT * FROM events ORDER BY id').all() as (Omit<StoredRow, 'body'> & { body: string })[];
  return rows.map((row) => ({ ...row, body: JSON.parse(row.body) as Record<string, unknown> }));
}
