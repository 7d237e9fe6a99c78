import { toOpenApiPath } from './described-route.js';
import type { ApiDocument } from './openapi-types.js';
import { listOperations } from './openapi-types.js';

/** `GET /v1/contacts/{ref}`: a route as both the router and the OpenAPI document can name it. */
export type RouteName = string;

interface RoutedApp {
  readonly routes: readonly { readonly method: string; readonly path: string }[];
}

/** Pages of the web UI (ui/), and `/` that leads to them: served, but no part of the API. */
export function isUiPath(path: string): boolean {
  return path === '/' || path === '/ui' || path.startsWith('/ui/');
}

/** What the API answers, from the app's routing table; middleware (`use`, method ALL) is no route. */
export function servedRoutes(app: RoutedApp): RouteName[] {
  const names = app.routes
    .filter((route) => route.method !== 'ALL' && !isUiPath(route.path))
    .map((route) => `${route.method.toUpperCase()} ${toOpenApiPath(route.path)}`);
  return [...new Set(names)].sort();
}

/** Every operation /openapi.json lists. */
export function documentedRoutes(document: ApiDocument): RouteName[] {
  const names = listOperations(document).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
  return [...new Set(names)].sort();
}
