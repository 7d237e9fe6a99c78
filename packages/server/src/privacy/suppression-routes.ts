import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import { parseContactRef } from '../contacts/contact-ref.js';
import { errorSchema, pageQuerySchema } from '../contacts/contact-schemas.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { suppressionPageSchema, suppressionRefSchema } from './privacy-schemas.js';
import type { Suppressions } from './privacy-store.js';

const refused = adminRefusals(false);
const security = adminSecurity;
const tags = ['Privacy'];

export const listSuppressionsRoute = createRoute({
  method: 'get',
  path: '/suppressions',
  tags,
  security,
  summary: 'Suppressed identifiers, oldest first: their type and keyed hash',
  request: { query: pageQuerySchema },
  responses: { 200: json(suppressionPageSchema, 'A page of suppressions'), ...refused },
});

export const liftSuppressionRoute = createRoute({
  method: 'delete',
  path: '/suppressions/{ref}',
  tags,
  security,
  summary: "Lift an identifier's suppression: its later events are stored again",
  request: { params: suppressionRefSchema },
  responses: {
    204: { description: 'Lifted' },
    ...refused,
    404: json(errorSchema, 'The identifier is not suppressed'),
  },
});

/** GET /v1/suppressions and DELETE /v1/suppressions/{type:value}; admin token required. */
export function createSuppressionRoutes(deps: {
  readonly suppressions: Suppressions;
  readonly admin: AdminGuard;
}): OpenAPIHono<AppEnv> {
  const { suppressions } = deps;
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/suppressions', '/suppressions/*']);

  routes.openapi(listSuppressionsRoute, async (c) => c.json(await suppressions.list(c.req.valid('query')), 200));

  routes.openapi(liftSuppressionRoute, async (c) => {
    const { ref } = c.req.valid('param');
    const parsed = parseContactRef(ref);
    if (parsed?.kind !== 'identifier') {
      throw new ApiError(400, 'invalid_request', 'ref: expected type:value, such as email:ada@example.com');
    }
    if (!(await suppressions.lift(parsed)))
      throw new ApiError(404, 'suppression_not_found', `${ref} is not suppressed`);
    return c.body(null, 204);
  });

  return routes;
}
