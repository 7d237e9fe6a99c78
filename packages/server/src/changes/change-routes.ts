import type { OpenAPIHono } from '@hono/zod-openapi';
import { bearerToken } from '../auth/admin-auth.js';
import type { AdminGuard } from '../auth/admin-guard.js';
import type { CredentialStore } from '../auth/credential-store.js';
import type { CursorCodec } from '../contacts/cursor.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { serveDescribedRoute } from '../http/described-route.js';
import { type ChangeType, changeTypes } from './change.js';
import { CursorExpired, createFeedCursors, type FeedPosition, readFeed } from './change-feed.js';
import { feedHeadRoute, feedQuerySchema, listChangesRoute, streamChangesRoute } from './change-specs.js';
import type { ChangeStore } from './change-store.js';
import { type StreamTiming, streamChanges } from './change-stream.js';

export interface ChangeRouteDeps {
  readonly changes: ChangeStore;
  readonly cursors: CursorCodec;
  readonly credentials: CredentialStore;
  readonly admin: AdminGuard;
  readonly stopping?: AbortSignal | undefined;
  readonly streamTiming?: StreamTiming | undefined;
}

/** GET /v1/changes, /v1/changes/head and /v1/changes/stream; admin token required. */
export function createChangeRoutes(deps: ChangeRouteDeps): OpenAPIHono<AppEnv> {
  const routes = createApiRouter();
  const cursors = createFeedCursors(deps.cursors);
  // Before the token check: a token in a URL lands in proxy logs and browser history, so it is
  // refused even when it is valid, and the request is told why.
  routes.use('/changes/*', async (c, next) => {
    const query = c.req.query();
    if ('token' in query || 'access_token' in query) {
      throw new ApiError(
        400,
        'token_in_url',
        'token: send the admin token as "Authorization: Bearer <token>", never in the URL',
      );
    }
    await next();
  });
  deps.admin.guard(routes, ['/changes', '/changes/*']);

  routes.openapi(listChangesRoute, async (c) => {
    const { after, limit, types } = c.req.valid('query');
    const page = await readOrExpire(deps.changes, { after: positionOf(after), limit, types: typesOf(types) });
    return c.json(
      {
        data: page.changes.map(({ position, ...change }) => ({ ...change, cursor: cursors.encode(position) })),
        cursor: cursors.encode(page.position),
        hasMore: page.hasMore,
      },
      200,
    );
  });

  routes.openapi(feedHeadRoute, async (c) => c.json({ cursor: cursors.encode(await deps.changes.head()) }, 200));

  // Described, not validated by zod-openapi: the answer is a stream, not a JSON body.
  serveDescribedRoute(routes, streamChangesRoute, async (c) => {
    // Hono answers HEAD with the GET handler and drops the body unread: the stream would never end.
    if (c.req.raw.method === 'HEAD') throw new ApiError(405, 'method_not_allowed', 'the stream answers GET only');
    const query = feedQuerySchema.omit({ limit: true }).safeParse(c.req.query());
    if (!query.success) throw new ApiError(400, 'invalid_request', 'after, types: not a cursor or a list of types');
    const after = positionOf(c.req.header('Last-Event-ID') ?? query.data.after);
    const types = typesOf(query.data.types);
    // Checked before the stream opens, so that an expired cursor is a plain 410.
    await readOrExpire(deps.changes, { after, limit: 1, types });
    const token = bearerToken(c.req.header('Authorization')) ?? '';
    return streamChanges(
      c,
      {
        changes: deps.changes,
        cursors,
        isAuthorized: () => deps.credentials.verifyAdminToken(token),
        stopping: deps.stopping,
        timing: deps.streamTiming,
      },
      { after, types },
    );
  });

  function positionOf(cursor: string | undefined): FeedPosition {
    return cursor === undefined ? 0 : cursors.read(cursor);
  }

  return routes;
}

async function readOrExpire(changes: ChangeStore, request: Parameters<typeof readFeed>[1]) {
  try {
    return await readFeed(changes, request);
  } catch (error) {
    if (error instanceof CursorExpired) throw new ApiError(410, 'cursor_expired', error.message);
    throw error;
  }
}

function typesOf(text: string | undefined): ChangeType[] | undefined {
  if (text === undefined) return undefined;
  const types = text.split(',').map((type) => type.trim());
  const unknown = types.filter((type) => !(changeTypes as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'invalid_request',
      `types: unknown change type ${unknown.join(', ')}; expected ${changeTypes.join(', ')}`,
    );
  }
  return types as ChangeType[];
}
