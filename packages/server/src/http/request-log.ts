import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { AppEnv } from './app-env.js';
import type { LogPath } from './log-path.js';

/** One JSON log line and one latency observation per request; `logPath` says which path it may show. */
export function requestLog(logger: Logger, metrics: Metrics, logPath: LogPath): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    c.set('logFields', {});
    await next();
    const seconds = (performance.now() - start) / 1000;
    const { path, isRoute } = logPath(c);
    metrics.observeRequest(isRoute ? path : 'unmatched', c.res.status, seconds);
    logger.info({
      msg: 'request',
      method: c.req.method,
      path,
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
      ...c.get('logFields'),
    });
  };
}
