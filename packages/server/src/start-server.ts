import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { v7 as uuidv7 } from 'uuid';
import { createApp } from './app.js';
import { startAudienceWorker } from './audiences/audience-worker.js';
import type { CreatedSecrets } from './auth/bootstrap-credentials.js';
import { bootstrapCredentials } from './auth/bootstrap-credentials.js';
import { startChangePruner } from './changes/change-pruner.js';
import type { ServerConfig } from './config/load-config.js';
import { deadlineCheckMs, enforceRequestTimeouts } from './http/request-timeouts.js';
import { defaultIngestLimits } from './ingest/limits.js';
import { createServerPipeline } from './ingest/server-pipeline.js';
import type { Logger } from './ops/logger.js';
import { createMetrics } from './ops/metrics.js';
import { openStore } from './storage/open-store.js';
import type { SecureDelete } from './storage/sqlite/open-database.js';
import { defaultSessionTiming, uiSettingsFor } from './ui/ui-settings.js';
import { createAddressPolicy } from './webhooks/ssrf-guard.js';
import { createWebhookSender, webhookTimeoutMs } from './webhooks/webhook-sender.js';
import { startWebhookWorker } from './webhooks/webhook-worker.js';

export interface RunningServer {
  readonly port: number;
  /** Secrets minted on this start (first start without keys), to be shown once. */
  readonly createdSecrets: CreatedSecrets;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** What only benchmarks change: none of it is a setting. */
export interface StartOptions {
  /** Changed only to measure what zeroing freed space costs (bench:ingest). */
  readonly secureDelete?: SecureDelete;
  /** Off only to measure what the change feed costs (bench:ingest). */
  readonly isChangeFeedOn?: boolean;
}

/** Opens the database, seeds credentials and listens. Used by main.ts and by in-process tests. */
export async function startServer(
  config: ServerConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const metrics = createMetrics();
  const pipeline = createServerPipeline({
    rules: config.identityRules,
    counters: metrics,
    onHookError: (error) => logger.error({ msg: 'after-commit hook failed', error: String(error) }),
  });
  const opened = await openStore(config.database, {
    pipeline,
    rules: config.identityRules,
    now: Date.now,
    cacheMb: config.cacheMb,
    secureDelete: options.secureDelete,
    isChangeFeedOn: options.isChangeFeedOn,
    onConnectionError: (error) => logger.error({ msg: 'database connection failed', error: String(error) }),
  });
  const { store } = opened;
  const createdSecrets = await bootstrapCredentials(store.credentials, config);
  const stopping = new AbortController();
  // This process, among the servers sharing the database: its sweeps, backfills and deliveries take
  // leases (storage/open-store.ts says who holds them on each engine).
  const leases = { store: store.leases, holder: opened.leaseHolder, ttlMs: config.leaseTtlMs };
  const audienceWorker = startAudienceWorker({
    audiences: store.audiences,
    leases,
    sweepEveryMs: config.audienceSweepMs,
    now: Date.now,
    onError: (error) => logger.error({ msg: 'audience work failed', error: String(error) }),
  });
  const policy = createAddressPolicy(config.webhookAllowCidrs);
  const send = createWebhookSender({ policy, timeoutMs: webhookTimeoutMs });
  const webhookWorker = startWebhookWorker({
    store: store.webhooks,
    leases,
    send,
    now: Date.now,
    schedule: config.webhookRetrySchedule,
    onError: (error) => logger.error({ msg: 'webhook delivery failed', error: String(error) }),
    onAttempt: metrics.countWebhookAttempt,
    // A message taken for an attempt by a server that died is due again after this.
    attemptLeaseMs: 2 * config.leaseTtlMs,
  });
  // Each commit that recorded changes wakes the worker: delivery follows the feed within a turn.
  const stopWaking = store.changes.onCommit(webhookWorker.kick);
  const app = createApp({
    onAudienceDefinitionChanged: audienceWorker.kick,
    webhookDelivery: { send, policy },
    onWebhookQueueChanged: webhookWorker.kick,
    stopping: stopping.signal,
    store,
    metrics,
    identityRules: config.identityRules,
    logger,
    now: Date.now,
    newMessageId: uuidv7,
    publicUrl: config.publicUrl,
    rateLimiter: config.rateLimit ? opened.rateLimiter(config.rateLimit, Date.now) : undefined,
    limits: { ...defaultIngestLimits, timestamps: config.timestamps },
    adminOrigins: config.adminOrigins,
    metricsToken: config.metricsToken,
    personalize: config.personalize,
    ui: uiSettingsFor(config.publicUrl, { ...defaultSessionTiming, idleMs: config.sessionIdleMs }),
  });
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const listening = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: { connectionsCheckingInterval: deadlineCheckMs },
      },
      (info: AddressInfo) => resolve({ server: listening as Server, port: info.port }),
    ) as Server;
    listening.once('error', reject);
  });
  const timeouts = enforceRequestTimeouts(server, config.timeouts, (req) =>
    logger.info({ msg: 'request timed out', method: req.method, status: 408, error: 'request_timeout' }),
  );
  const pruner = startChangePruner({
    changes: store.changes,
    retention: config.changeRetention,
    now: Date.now,
    onError: (error) => logger.error({ msg: 'change pruning failed', error: String(error) }),
  });
  logger.info({ msg: 'listening', host: config.host, port, db: opened.shownAs });

  let closing: Promise<void> | undefined;
  return {
    port,
    createdSecrets,
    close() {
      timeouts.stop();
      pruner.stop();
      audienceWorker.stop();
      stopWaking();
      webhookWorker.stop();
      stopping.abort();
      closing ??= drainAndClose(server).then(async () => {
        await store.events.close();
        logger.info({ msg: 'stopped' });
      });
      return closing;
    },
  };
}

/** server.close() waits for open connections; idle keep-alive ones are closed as they go quiet. */
function drainAndClose(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const sweep = setInterval(() => {
      server.closeIdleConnections();
      if (Date.now() - started > graceMs) server.closeAllConnections();
    }, 50);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
