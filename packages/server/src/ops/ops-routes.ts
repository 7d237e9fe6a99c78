import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import type { AudienceStore } from '../audiences/audience-store.js';
import type { CredentialStore } from '../auth/credential-store.js';
import { requireMetricsAccess } from '../auth/metrics-auth.js';
import { errorSchema } from '../contacts/contact-schemas.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import type { GroupCommitWriter } from '../ingest/group-commit-writer.js';
import type { EventStore } from '../storage/event-store.js';
import type { WebhookStore } from '../webhooks/webhook-store.js';
import type { Metrics } from './metrics.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z.boolean().openapi({ description: 'Whether SQLite answered a query' }),
  })
  .openapi('Health', { example: { status: 'ok', database: true } });

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const tags = ['Operations'];

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags,
  security: [],
  summary: 'Liveness and database check, for load balancers and orchestrators',
  responses: {
    200: json(healthSchema, 'The server and its database answer'),
    503: json(healthSchema, 'The database does not answer'),
  },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags,
  security: [{ metricsToken: [] }, { adminToken: [] }],
  summary: 'Counters and gauges in the Prometheus text format',
  description:
    'Needs the metrics token (`WEFT_METRICS_TOKEN`) or an admin token as a Bearer: its counters are not for the holders of a write key.',
  responses: {
    200: {
      description: 'Prometheus exposition format 0.0.4',
      content: { 'text/plain': { schema: z.string().openapi({ example: 'weft_events_accepted_total 42' }) } },
    },
    401: {
      description: 'No token, or one that is neither the metrics token nor an admin token',
      content: { 'application/json': { schema: errorSchema } },
    },
  },
});

export function createOpsRoutes(deps: {
  events: EventStore;
  /** Member counts per audience, for /metrics. */
  audiences: Pick<AudienceStore, 'memberCounts'>;
  /** Queue sizes per webhook endpoint, for /metrics. */
  webhooks: Pick<WebhookStore, 'backlog'>;
  now: () => number;
  metrics: Metrics;
  writer: GroupCommitWriter;
  credentials: CredentialStore;
  metricsToken: string | undefined;
}): OpenAPIHono<AppEnv> {
  const routes = createApiRouter();
  routes.use('/metrics', requireMetricsAccess(deps.credentials, deps.metricsToken));
  routes.openapi(healthRoute, async (c) => {
    const database = await deps.events.ping();
    return database
      ? c.json({ status: 'ok' as const, database }, 200)
      : c.json({ status: 'unavailable' as const, database }, 503);
  });
  routes.openapi(metricsRoute, async (c) => {
    const body = deps.metrics.render({
      databaseBytes: await deps.events.sizeBytes(),
      commits: deps.writer.stats.commits,
      committedEvents: deps.writer.stats.events,
      audienceMembers: await deps.audiences.memberCounts(),
      webhookBacklog: (await deps.webhooks.backlog()).map((entry) => ({
        endpointId: entry.endpointId,
        unread: entry.unread,
        pending: entry.pending,
        oldestPendingSeconds:
          entry.oldestPendingAt === null ? 0 : Math.max(0, (deps.now() - entry.oldestPendingAt) / 1000),
      })),
    });
    return c.text(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}
