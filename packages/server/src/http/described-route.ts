import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AppEnv } from './app-env.js';

/**
 * Describes `spec` in /openapi.json and serves `handler` at its path without zod-openapi's
 * validators. For routes that read their own body: ingest takes gzip and the text/plain that
 * sendBeacon sends, and refuses a bad event with a 200 listing it, where a validator would 415/400.
 */
export function serveDescribedRoute(router: OpenAPIHono<AppEnv>, spec: RouteConfig, handler: Handler<AppEnv>): void {
  router.openAPIRegistry.registerPath(spec);
  router.on(spec.method.toUpperCase(), toHonoPath(spec.path), handler);
}

/** `/contacts/{ref}` → `/contacts/:ref`. */
export function toHonoPath(openApiPath: string): string {
  return openApiPath.replaceAll(/\{([^}]+)\}/g, ':$1');
}

/** `/contacts/:ref` → `/contacts/{ref}`. */
export function toOpenApiPath(honoPath: string): string {
  return honoPath.replaceAll(/:([^/{}]+)/g, '{$1}');
}
