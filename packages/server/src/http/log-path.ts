import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The path a log line may show. A matched route is logged as its pattern (`/v1/contacts/:ref`):
 * its parameters hold personal data (a ref such as email:…) or secrets (the settings path carries
 * the write key). A path no route matched (an unknown path, a CORS preflight for an admin route)
 * keeps only the segments some route has as fixed text, each other one replaced by `:redacted`.
 * The query string is never logged.
 */
export type LogPath = (c: Context) => { readonly path: string; readonly isRoute: boolean };

export function createLogPath(routePaths: () => readonly string[]): LogPath {
  let knownSegments: Set<string> | undefined;
  return (c) => {
    const route = routePath(c, -1);
    if (route !== '*' && route !== '/*' && route !== '') return { path: route, isRoute: true };
    knownSegments ??= new Set(
      routePaths().flatMap((path) => path.split('/').filter((segment) => !/[:*{]/.test(segment))),
    );
    const known = knownSegments;
    const path = c.req.path
      .split('/')
      .map((segment) => (segment === '' || known.has(segment) ? segment : ':redacted'))
      .join('/');
    return { path, isRoute: false };
  };
}
