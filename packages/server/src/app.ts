import { Hono } from 'hono';
import { createAudienceRoutes } from './audiences/audience-routes.js';
import { createComputedTraitRoutes } from './audiences/computed-trait-routes.js';
import { createAdminGuard } from './auth/admin-guard.js';
import { createChangeRoutes } from './changes/change-routes.js';
import type { StreamTiming } from './changes/change-stream.js';
import { createCompanyRoutes } from './companies/company-routes.js';
import { createContactExportRoutes } from './contacts/contact-export-routes.js';
import { createContactRoutes } from './contacts/contact-routes.js';
import { lifecycleStages } from './contacts/contact-schemas.js';
import { createApiRouter, serveApiDocument } from './http/api-router.js';
import type { AppEnv } from './http/app-env.js';
import { createErrorHandler, handleNotFound } from './http/handle-error.js';
import { createLogPath } from './http/log-path.js';
import { requestLog } from './http/request-log.js';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './identity/identity-rules.js';
import { createImportJobs } from './imports/import-jobs.js';
import { createImportRoutes } from './imports/import-routes.js';
import { createGroupCommitWriter } from './ingest/group-commit-writer.js';
import { createIngestRoutes } from './ingest/ingest-routes.js';
import type { IngestLimits } from './ingest/limits.js';
import { defaultIngestLimits } from './ingest/limits.js';
import type { RateLimitSettings } from './ingest/rate-limit.js';
import { createRateLimiter, type RateLimiter } from './ingest/rate-limit.js';
import type { Logger } from './ops/logger.js';
import type { Metrics } from './ops/metrics.js';
import { createOpsRoutes } from './ops/ops-routes.js';
import { createPersonalizeRoutes } from './personalize/personalize-routes.js';
import type { PersonalizeSettings } from './personalize/personalize-settings.js';
import { createProfileHub } from './personalize/profile-hub.js';
import { defaultProfileStreamTiming } from './personalize/profile-stream.js';
import { createPublishableKeyRoutes } from './personalize/publishable-key-routes.js';
import { createStreamCaps, DEFAULT_STREAM_CAPS } from './personalize/stream-caps.js';
import { createSuppressionRoutes } from './privacy/suppression-routes.js';
import type { Store } from './storage/store.js';
import { createUiRoutes } from './ui/ui-routes.js';
import { type UiSettings, uiSettingsFor } from './ui/ui-settings.js';
import { type AddressPolicy, createAddressPolicy } from './webhooks/ssrf-guard.js';
import { createWebhookRoutes } from './webhooks/webhook-routes.js';
import { createWebhookSender, type SendWebhook, webhookTimeoutMs } from './webhooks/webhook-sender.js';

export interface AppDeps {
  /** Everything the server keeps (storage/store.ts). */
  readonly store: Store;
  /** The counters the store's ingest steps add to are the ones /metrics shows: pass the same. */
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Epoch milliseconds; tests pass a fake clock. */
  readonly now: () => number;
  /** Makes the messageId of an event sent without one (UUIDv7 in production). */
  readonly newMessageId: () => string;
  /** The address clients reach, announced in the analytics.js settings. */
  readonly publicUrl: string;
  readonly limits?: IngestLimits;
  /** Per write key, counted in this process; omitted means no limit. */
  readonly rateLimit?: RateLimitSettings | undefined;
  /** The same limit counted elsewhere (shared by every server on PostgreSQL); takes the place of rateLimit. */
  readonly rateLimiter?: RateLimiter | undefined;
  /** The rules the identity step applies (defaults when absent). */
  readonly identityRules?: IdentityRules;
  /** Origins whose pages may call the admin routes from a browser (WEFT_ADMIN_ORIGINS); none by default. */
  readonly adminOrigins?: readonly string[];
  /** A token for /metrics alone (WEFT_METRICS_TOKEN); an admin token works too. */
  readonly metricsToken?: string | undefined;
  /** Aborted when the server stops: open change streams end. */
  readonly stopping?: AbortSignal | undefined;
  /** Heartbeats and token checks of change streams (tests shorten them). */
  readonly streamTiming?: StreamTiming | undefined;
  /** Starts the audience backfill at once after a definition changes (the server's audience worker). */
  readonly onAudienceDefinitionChanged?: (() => void) | undefined;
  /** How webhooks reach receivers (the worker's sender and its SSRF guard); a guarded default when absent. */
  readonly webhookDelivery?: { readonly send: SendWebhook; readonly policy: AddressPolicy } | undefined;
  /** Wakes the webhook worker after an endpoint is saved or a replay queued. */
  readonly onWebhookQueueChanged?: (() => void) | undefined;
  /** `GET /v1/personalize` settings (WEFT_IDENTITY_SECRET, WEFT_PERSONALIZE_*); defaults when absent. */
  readonly personalize?: PersonalizeSettings | undefined;
  /** The web UI's sessions (WEFT_SESSION_IDLE); from publicUrl with default timing when absent. */
  readonly ui?: UiSettings | undefined;
}

/** Builds the HTTP app without listening: tests call `app.request()`, main.ts serves it. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { store, metrics } = deps;
  const writer = createGroupCommitWriter(store.events);
  const app = new Hono<AppEnv>();
  // Read once the routes below exist: the fixed segments a redacted path may keep.
  const logPath = createLogPath(() => app.routes.map((route) => route.path));
  app.use('*', requestLog(deps.logger, metrics, logPath));
  const admin = createAdminGuard(store.credentials, deps.adminOrigins);
  // Every route goes on `api`, so /openapi.json describes it (openapi-document.test.ts checks).
  const api = createApiRouter();
  api.route(
    '/',
    createOpsRoutes({
      events: store.events,
      audiences: store.audiences,
      webhooks: store.webhooks,
      now: deps.now,
      metrics,
      writer,
      credentials: store.credentials,
      metricsToken: deps.metricsToken,
    }),
  );
  api.route(
    '/v1',
    createIngestRoutes({
      writer,
      credentials: store.credentials,
      now: deps.now,
      newMessageId: deps.newMessageId,
      limits: deps.limits ?? defaultIngestLimits,
      metrics,
      logger: deps.logger,
      publicUrl: deps.publicUrl,
      rateLimiter: deps.rateLimiter ?? (deps.rateLimit ? createRateLimiter(deps.rateLimit, deps.now) : undefined),
    }),
  );
  // One for the API and the web UI: one import at a time, whichever started it.
  const importJobs = createImportJobs({
    imports: store.contacts.imports,
    store: store.importJobs,
    rules: deps.identityRules ?? DEFAULT_IDENTITY_RULES,
    lifecycleStages,
    now: deps.now,
  });
  api.route(
    '/v1',
    createImportRoutes({
      jobs: importJobs,
      admin,
      audit: store.users.audit,
    }),
  );
  // Before the contact routes: /contacts/{ref} would take export.csv for a ref.
  api.route('/v1', createContactExportRoutes({ search: store.contacts.search, admin, audit: store.users.audit }));
  api.route(
    '/v1',
    createContactRoutes({
      contacts: store.contacts,
      audiences: store.audiences,
      computedTraits: store.computedTraits,
      privacy: store.privacy,
      cursors: store.cursors,
      admin,
      now: deps.now,
      identityRules: deps.identityRules ?? DEFAULT_IDENTITY_RULES,
      audit: store.users.audit,
    }),
  );
  api.route('/v1', createCompanyRoutes({ companies: store.companies, cursors: store.cursors, admin }));
  api.route(
    '/v1',
    createAudienceRoutes({
      audiences: store.audiences,
      contacts: store.contacts.queries,
      cursors: store.cursors,
      admin,
      onDefinitionChanged: deps.onAudienceDefinitionChanged,
    }),
  );
  api.route(
    '/v1',
    createComputedTraitRoutes({
      computedTraits: store.computedTraits,
      admin,
      onDefinitionChanged: deps.onAudienceDefinitionChanged,
    }),
  );
  const policy = deps.webhookDelivery?.policy ?? createAddressPolicy();
  api.route(
    '/v1',
    createWebhookRoutes({
      webhooks: store.webhooks,
      cursors: store.cursors,
      admin,
      now: deps.now,
      policy,
      send: deps.webhookDelivery?.send ?? createWebhookSender({ policy, timeoutMs: webhookTimeoutMs }),
      onQueueChanged: deps.onWebhookQueueChanged,
    }),
  );
  api.route('/v1', createSuppressionRoutes({ suppressions: store.privacy.suppressions, admin }));
  api.route('/v1', createPublishableKeyRoutes({ keys: store.personalize.keys, admin, audit: store.users.audit }));
  api.route(
    '/v1',
    createPersonalizeRoutes({
      personalize: store.personalize,
      hub: createProfileHub(store.changes),
      caps: createStreamCaps(deps.personalize?.streamCaps ?? DEFAULT_STREAM_CAPS),
      now: deps.now,
      identitySecret: deps.personalize?.identitySecret,
      maxAgeSeconds: deps.personalize?.maxAgeSeconds ?? 0,
      streamTiming: deps.personalize?.streamTiming ?? defaultProfileStreamTiming,
      stopping: deps.stopping,
    }),
  );
  api.route(
    '/v1',
    createChangeRoutes({
      changes: store.changes,
      cursors: store.cursors,
      credentials: store.credentials,
      admin,
      stopping: deps.stopping,
      streamTiming: deps.streamTiming,
    }),
  );
  serveApiDocument(api);
  app.route('/', api);
  // The web UI is no API: it is left out of /openapi.json (http/route-inventory.ts says so).
  app.get('/', (c) => c.redirect('/ui/contacts', 303));
  app.route(
    '/ui',
    createUiRoutes({
      store,
      settings: deps.ui ?? uiSettingsFor(deps.publicUrl),
      publicUrl: deps.publicUrl,
      now: deps.now,
      logger: deps.logger,
      stopping: deps.stopping,
      importJobs,
      onAudienceDefinitionChanged: deps.onAudienceDefinitionChanged,
    }),
  );
  app.onError(createErrorHandler(deps.logger, logPath));
  app.notFound(handleNotFound);
  return app;
}
