import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { authenticateSource } from '../auth/authenticate-source.js';
import type { AppEnv } from '../http/app-env.js';
import type { IngestRouteKind } from './handle-ingest.js';
import { createIngestHandler } from './handle-ingest.js';
import type { IngestDeps } from './ingest-deps.js';
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

/** Everything under /v1: open to any origin, as browsers call it from customers' sites. */
export function createIngestRoutes(deps: IngestDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
      exposeHeaders: ['Retry-After', 'X-RateLimit-Reset'],
      maxAge: 86400,
    }),
  );
  for (const [path, kind] of ingestPaths) routes.post(path, createIngestHandler(deps, kind));

  routes.get('/projects/:writeKey/settings', (c) => {
    const writeKey = c.req.param('writeKey');
    authenticateSource(deps.credentials, writeKey);
    return c.json(buildSourceSettings(writeKey, deps.publicUrl));
  });
  // analytics-next's own telemetry: acknowledged so the browser logs no error, then dropped.
  routes.post('/m', (c) => c.json({ success: true }));
  return routes;
}
