import { Hono } from 'hono';
import { createAdminGuard } from './auth/admin-guard.js';
import type { CredentialStore } from './auth/credential-store.js';
import { createCompanyRoutes } from './companies/company-routes.js';
import { createContactRoutes } from './contacts/contact-routes.js';
import { createApiRouter, serveApiDocument } from './http/api-router.js';
import type { AppEnv } from './http/app-env.js';
import { createErrorHandler, handleNotFound } from './http/handle-error.js';
import { createLogPath } from './http/log-path.js';
import { requestLog } from './http/request-log.js';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './identity/identity-rules.js';
import { createGroupCommitWriter } from './ingest/group-commit-writer.js';
import { createIngestRoutes } from './ingest/ingest-routes.js';
import type { IngestLimits } from './ingest/limits.js';
import { defaultIngestLimits } from './ingest/limits.js';
import type { RateLimitSettings } from './ingest/rate-limit.js';
import { createRateLimiter } from './ingest/rate-limit.js';
import type { Logger } from './ops/logger.js';
import type { Metrics } from './ops/metrics.js';
import { createMetrics } from './ops/metrics.js';
import { createOpsRoutes } from './ops/ops-routes.js';
import { createSuppressionRoutes } from './privacy/suppression-routes.js';
import type { EventStore } from './storage/event-store.js';
import type { SqliteDatabase } from './storage/open-database.js';

export interface AppDeps {
  readonly store: EventStore;
  /** Read by the contacts API; writes go through `store`. */
  readonly db: SqliteDatabase;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  /** Epoch milliseconds; tests pass a fake clock. */
  readonly now: () => number;
  /** Makes the messageId of an event sent without one (UUIDv7 in production). */
  readonly newMessageId: () => string;
  /** The address clients reach, announced in the analytics.js settings. */
  readonly publicUrl: string;
  readonly limits?: IngestLimits;
  /** Per write key; omitted means no limit. */
  readonly rateLimit?: RateLimitSettings | undefined;
  readonly metrics?: Metrics;
  /** The rules the identity step applies (defaults when absent). */
  readonly identityRules?: IdentityRules;
  /** Origins whose pages may call the admin routes from a browser (WEFT_ADMIN_ORIGINS); none by default. */
  readonly adminOrigins?: readonly string[];
  /** A token for /metrics alone (WEFT_METRICS_TOKEN); an admin token works too. */
  readonly metricsToken?: string | undefined;
}

/** Builds the HTTP app without listening: tests call `app.request()`, main.ts serves it. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const metrics = deps.metrics ?? createMetrics();
  const writer = createGroupCommitWriter(deps.store);
  const app = new Hono<AppEnv>();
  // Read once the routes below exist: the fixed segments a redacted path may keep.
  const logPath = createLogPath(() => app.routes.map((route) => route.path));
  app.use('*', requestLog(deps.logger, metrics, logPath));
  const admin = createAdminGuard(deps.credentials, deps.adminOrigins);
  // Every route goes on `api`, so /openapi.json describes it (openapi-document.test.ts checks).
  const api = createApiRouter();
  api.route(
    '/',
    createOpsRoutes({
      store: deps.store,
      metrics,
      writer,
      credentials: deps.credentials,
      metricsToken: deps.metricsToken,
    }),
  );
  api.route(
    '/v1',
    createIngestRoutes({
      writer,
      credentials: deps.credentials,
      now: deps.now,
      newMessageId: deps.newMessageId,
      limits: deps.limits ?? defaultIngestLimits,
      metrics,
      logger: deps.logger,
      publicUrl: deps.publicUrl,
      rateLimiter: deps.rateLimit ? createRateLimiter(deps.rateLimit, deps.now) : undefined,
    }),
  );
  api.route(
    '/v1',
    createContactRoutes({
      db: deps.db,
      admin,
      now: deps.now,
      identityRules: deps.identityRules ?? DEFAULT_IDENTITY_RULES,
    }),
  );
  api.route('/v1', createCompanyRoutes({ db: deps.db, admin }));
  api.route('/v1', createSuppressionRoutes({ db: deps.db, admin }));
  serveApiDocument(api);
  app.route('/', api);
  app.onError(createErrorHandler(deps.logger, logPath));
  app.notFound(handleNotFound);
  return app;
}
