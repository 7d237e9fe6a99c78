import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { nulField } from './nul-text.js';

/**
 * A router whose routes are described in /openapi.json and validated by the same zod schemas.
 * A failed validation is thrown as our ApiError, so it reaches the app's one error handler and
 * answers `{error: {code, message}}` like every other 400; so is text holding U+0000, which no
 * store may be handed (http/nul-text.ts). Ingest routes can move onto routers made here too.
 */
export function createApiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, 'invalid_request', describeIssues(result.error, result.target));
      const field = nulField(result.data);
      if (field !== undefined) {
        throw new ApiError(
          400,
          'invalid_request',
          `${field || result.target}: contains U+0000 (NUL), which cannot be stored`,
        );
      }
    },
  });
}

/**
 * `limit: Too big: expected number to be <=500`: every problem, each led by the field it concerns.
 * A key that cannot be written as a path (`""`, `a b`) is named in the message instead, so that the
 * field always reads as one: `traits: key "" refused: Invalid key in record`.
 */
export function describeIssues(error: ZodError, target: string): string {
  return error.issues
    .map((issue) => {
      const plain = issue.path.findIndex(
        (segment) => typeof segment !== 'number' && !/^[\w$-]+$/.test(String(segment)),
      );
      const path = plain === -1 ? issue.path : issue.path.slice(0, plain);
      const field = path.length > 0 ? path.join('.') : target;
      const key = plain === -1 ? '' : `key ${JSON.stringify(String(issue.path[plain]))} refused: `;
      return `${field}: ${key}${issue.message}`;
    })
    .join('; ');
}

/** Serves the OpenAPI 3.1 description of every route registered on `api` at GET /openapi.json. */
export function serveApiDocument(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An admin token (`weft-server keys create --admin`); a write key is refused',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The metrics token set by WEFT_METRICS_TOKEN, for a Prometheus scraper; only /metrics takes it',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'apiKey',
    in: 'query',
    name: 'key',
    description: 'A publishable key (pk_…), public by design: it may reveal only what its allowlists name',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'writeKey', {
    type: 'http',
    scheme: 'basic',
    description:
      "A source's write key as the Basic user name, password empty, as Segment's libraries send it; " +
      'or, where no header can be sent (sendBeacon), as `writeKey` in the JSON body',
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: apiDocumentPath,
    tags: ['Operations'],
    security: [],
    summary: 'This document: every route of the server in OpenAPI 3.1',
    responses: {
      200: { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  });
  api.doc31(apiDocumentPath, {
    openapi: '3.1.0',
    info: {
      title: 'Weft API',
      version: '0.1.0',
      description:
        'Segment-compatible event ingestion (`/v1/batch` and friends, authenticated by write key) and the ' +
        'contacts built from those events (authenticated by admin token).',
    },
  });
}

export const apiDocumentPath = '/openapi.json';
