import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { AppEnv } from './app-env.js';

/** One JSON log line and one latency observation per request. */
export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    c.set('logFields', {});
    await next();
    const seconds = (performance.now() - start) / 1000;
    const route = routePath(c, -1);
    const matched = route !== '*' && route !== '/*';
    metrics.observeRequest(matched ? route : 'unmatched', c.res.status, seconds);
    logger.info({
      msg: 'request',
      method: c.req.method,
      // A path with parameters is logged as its pattern: they hold secrets (the settings path's write
      // key) or personal data (a contact ref such as email:…).
      path: matched && route.includes(':') ? route : c.req.path,
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
      ...c.get('logFields'),
    });
  };
}
