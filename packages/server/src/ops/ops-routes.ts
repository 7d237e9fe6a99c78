import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import type { GroupCommitWriter } from '../ingest/group-commit-writer.js';
import type { EventStore } from '../storage/event-store.js';
import type { Metrics } from './metrics.js';

export function createOpsRoutes(deps: {
  store: EventStore;
  metrics: Metrics;
  writer: GroupCommitWriter;
}): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/health', (c) => {
    const database = deps.store.ping();
    return c.json({ status: database ? 'ok' : 'unavailable', database }, database ? 200 : 503);
  });
  routes.get('/metrics', (c) => {
    const body = deps.metrics.render({
      databaseBytes: deps.store.sizeBytes(),
      commits: deps.writer.stats.commits,
      committedEvents: deps.writer.stats.events,
    });
    return c.body(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}
