import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../ops/logger.js';
import { ApiError, errorBody } from './api-error.js';
import type { AppEnv } from './app-env.js';
import type { LogPath } from './log-path.js';

/** The single place where any failure becomes an HTTP answer; `logPath` as the request log has it. */
export function createErrorHandler(logger: Logger, logPath: LogPath) {
  return (err: Error, c: Context<AppEnv>): Response => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return answer(c, err.status, err.code, err.message);
    }
    if (err instanceof HTTPException) {
      // Hono's JSON validator throws this for an unparsable body: the same code ingest answers.
      if (err.status === 400 && /malformed json/i.test(err.message)) {
        return answer(c, 400, 'malformed_json', 'body: not valid JSON');
      }
      return answer(c, err.status, 'http_error', err.message || 'request refused');
    }
    logger.error({
      msg: 'unhandled error',
      method: c.req.method,
      path: logPath(c).path,
      error: String(err?.stack ?? err),
    });
    return answer(c, 500, 'internal_error', 'the server failed to handle this request; it is safe to retry');
  };
}

export function handleNotFound(c: Context<AppEnv>): Response {
  // The path is the caller's own: it may say it back, but the log line shows only the redacted one.
  return answer(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
}

/** The error body, and its code on the request's log line: a status alone does not say which 400 it was. */
function answer(c: Context<AppEnv>, status: ContentfulStatusCode, code: string, message: string): Response {
  c.set('logFields', { ...c.get('logFields'), error: code });
  return c.json(errorBody(code, message), status);
}
