import type { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { authenticateSource } from '../auth/authenticate-source.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { serveDescribedRoute } from '../http/described-route.js';
import type { IngestRouteKind } from './handle-ingest.js';
import { createIngestHandler } from './handle-ingest.js';
import type { IngestDeps } from './ingest-deps.js';
import { ingestRouteSpec, sourceSettingsRoute, telemetryRoute } from './ingest-route-specs.js';
import { buildSourceSettings } from './source-settings.js';

/** Segment's HTTP API paths, then the short ones analytics.js / analytics-next post to. */
const ingestPaths: ReadonlyArray<readonly [string, IngestRouteKind]> = [
  ['/batch', 'batch'],
  ['/identify', 'identify'],
  ['/track', 'track'],
  ['/page', 'page'],
  ['/screen', 'screen'],
  ['/group', 'group'],
  ['/alias', 'alias'],
  ['/b', 'batch'],
  ['/i', 'identify'],
  ['/t', 'track'],
  ['/p', 'page'],
  ['/s', 'screen'],
  ['/g', 'group'],
  ['/a', 'alias'],
];

/**
 * The ingest, settings and telemetry routes under /v1: open to any origin, as browsers call them
 * from customers' sites. Only these: the admin routes beside them under /v1 are not.
 */
export function createIngestRoutes(deps: IngestDeps): OpenAPIHono<AppEnv> {
  const routes = createApiRouter();
  const openToAnyOrigin = cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
    exposeHeaders: ['Retry-After', 'X-RateLimit-Reset'],
    maxAge: 86400,
  });
  for (const path of [...ingestPaths.map(([ingestPath]) => ingestPath), '/projects/:writeKey/settings', '/m']) {
    routes.use(path, openToAnyOrigin);
  }
  // Described but not validated by zod-openapi: the handler reads gzip and text/plain bodies and
  // answers a bad event in a batch with a 200 that lists it.
  for (const [path, kind] of ingestPaths) {
    serveDescribedRoute(routes, ingestRouteSpec(path, kind), createIngestHandler(deps, kind));
  }

  routes.openapi(sourceSettingsRoute, async (c) => {
    const { writeKey } = c.req.valid('param');
    await authenticateSource(deps.credentials, writeKey);
    return c.json(buildSourceSettings(writeKey, deps.publicUrl), 200);
  });
  // analytics-next's own telemetry: acknowledged so the browser logs no error, then dropped.
  routes.openapi(telemetryRoute, (c) => c.json({ success: true as const }, 200));
  return routes;
}
