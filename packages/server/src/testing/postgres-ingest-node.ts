/**
 * One Weft node's ingest on PostgreSQL, for bench:scale and the two-node chaos test: the server's
 * own ingest routes, group-commit writer, pipeline and PostgreSQL stores (events, credentials), on
 * PORT, against the schema BENCH_PG_SCHEMA of WEFT_TEST_POSTGRES_URL (migrated by whoever starts
 * it). WEFT_WRITE_KEY, when set, is seeded as the server seeds it. /metrics answers the event
 * counters without a token. Only the ingest path: the whole server does not run on PostgreSQL yet
 * (issue #21). With WEFT_WEBHOOK_DELIVERY=1 it also delivers webhooks as the server does (the
 * PostgreSQL webhook store and the worker, endpoints shared among nodes by leases), to loopback
 * receivers, with short leases (BENCH_LEASE_TTL_MS, 3 s) so that a killed node's endpoints and
 * attempts are taken over within the chaos test.
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import type { AppEnv } from '../http/app-env.js';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createGroupCommitWriter } from '../ingest/group-commit-writer.js';
import { createIngestRoutes } from '../ingest/ingest-routes.js';
import { defaultIngestLimits } from '../ingest/limits.js';
import { createServerPipeline } from '../ingest/server-pipeline.js';
import { silentLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { createPostgresAudienceRegistry } from '../storage/postgres/audiences/postgres-audience-registry.js';
import { createPostgresChangeFeed } from '../storage/postgres/postgres-change-feed.js';
import { createPostgresCredentialStore } from '../storage/postgres/postgres-credential-store.js';
import { createPostgresEventStore } from '../storage/postgres/postgres-event-store.js';
import { createPostgresLeaseStore } from '../storage/postgres/postgres-lease-store.js';
import { createPostgresPool } from '../storage/postgres/postgres-pool.js';
import { loadPostgresIdentifierHasher } from '../storage/postgres/postgres-server-secrets.js';
import { createPostgresWebhookStore } from '../storage/postgres/webhooks/postgres-webhook-store.js';
import { createAddressPolicy } from '../webhooks/ssrf-guard.js';
import { createWebhookSender } from '../webhooks/webhook-sender.js';
import { startWebhookWorker } from '../webhooks/webhook-worker.js';

const url = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgres://weft:weft@127.0.0.1:5432/weft_test';
const schema = process.env.BENCH_PG_SCHEMA;
const pool = createPostgresPool(url, { schema, max: 6 });
const rules = DEFAULT_IDENTITY_RULES;
const metrics = createMetrics();
const events = createPostgresEventStore(pool, {
  pipeline: createServerPipeline({ rules, counters: metrics }),
  rules,
  hash: await loadPostgresIdentifierHasher(pool),
  now: Date.now,
  audiences: createPostgresAudienceRegistry(),
  // Only bench:scale's UNSPLIT setting sets it, to measure what cutting a batch by lock budget costs.
  ...(process.env.BENCH_MAX_LOCKS ? { maxLocksPerTransaction: Number(process.env.BENCH_MAX_LOCKS) } : {}),
});
const credentials = createPostgresCredentialStore(pool);
if (process.env.WEFT_WRITE_KEY) await credentials.seed('write_key', process.env.WEFT_WRITE_KEY);
// Commits under way at once (BENCH_CONCURRENT_COMMITS, 1 by default). A batch locks what it
// touches, so batches may commit side by side; 3 took one node from ~5,000 to ~6,500 events/s flat
// out, but halved the events per commit and raised PostgreSQL's CPU per event by a quarter, and
// bought nothing with two nodes (docs/benchmarks.md, bench:scale).
const writer = createGroupCommitWriter(events, {
  maxConcurrentCommits: Number(process.env.BENCH_CONCURRENT_COMMITS ?? 1),
});
const app = new Hono<AppEnv>();
app.get('/health', (c) => c.text('ok'));
// What the bench reads to say how many events each commit carried.
app.get('/stats', (c) => c.json(writer.stats));
app.get('/metrics', (c) =>
  c.text(
    metrics.render({
      databaseBytes: 0,
      commits: writer.stats.commits,
      committedEvents: writer.stats.events,
      audienceMembers: new Map(),
      webhookBacklog: [],
    }),
  ),
);
app.route(
  '/v1',
  createIngestRoutes({
    writer,
    credentials,
    now: Date.now,
    newMessageId: uuidv7,
    limits: defaultIngestLimits,
    metrics,
    logger: silentLogger,
    publicUrl: 'http://127.0.0.1',
  }),
);
if (process.env.WEFT_WEBHOOK_DELIVERY === '1') {
  const leaseMs = Number(process.env.BENCH_LEASE_TTL_MS ?? 3_000);
  const worker = startWebhookWorker({
    store: createPostgresWebhookStore(pool),
    send: createWebhookSender({ policy: createAddressPolicy(['127.0.0.0/8']), timeoutMs: 5_000 }),
    now: Date.now,
    schedule: [100, 300, 1_000, 2_000, 5_000],
    pollMs: 200,
    leases: {
      store: createPostgresLeaseStore(pool, Date.now),
      holder: `node-${randomBytes(6).toString('hex')}`,
      ttlMs: leaseMs,
    },
    attemptLeaseMs: leaseMs,
  });
  // Every node's commits wake every node's worker (LISTEN/NOTIFY), as the server's do.
  createPostgresChangeFeed(pool, { url, schema, now: Date.now }).onCommit(worker.kick);
}
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
