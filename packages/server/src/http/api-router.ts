import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

/**
 * A router whose routes are described in /openapi.json and validated by the same zod schemas.
 * A failed validation is thrown as our ApiError, so it reaches the app's one error handler and
 * answers `{error: {code, message}}` like every other 400. Ingest routes can move onto routers
 * made here too.
 */
export function createApiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, 'invalid_request', describeIssues(result.error, result.target));
    },
  });
}

/** `limit: Too big: expected number to be <=500`: every problem, each led by the field it concerns. */
export function describeIssues(error: ZodError, target: string): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : target}: ${issue.message}`)
    .join('; ');
}

/** Serves the OpenAPI 3.1 description of every route registered on `api` at GET /openapi.json. */
export function serveApiDocument(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An admin token (`weft-server keys create --admin`); a write key is refused',
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Weft API', version: '0.1.0', description: 'Contacts built from the events Weft ingests' },
  });
}
