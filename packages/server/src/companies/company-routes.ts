import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import type { CursorCodec } from '../contacts/cursor.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { listCompanies, readCompany } from './company-reads.js';
import { getCompanyRoute, listCompaniesRoute } from './company-schemas.js';
import type { CompanyQueries } from './company-store.js';

export interface CompanyRouteDeps {
  readonly companies: CompanyQueries;
  readonly cursors: CursorCodec;
  readonly admin: AdminGuard;
}

/** The companies API, mounted under /v1; every route needs the admin token. */
export function createCompanyRoutes(deps: CompanyRouteDeps): OpenAPIHono<AppEnv> {
  const { companies: queries, cursors } = deps;
  const routes = createApiRouter();
  // Exact paths, not '*': once mounted under /v1, '*' would also guard the ingest routes.
  deps.admin.guard(routes, ['/companies', '/companies/*']);

  routes.openapi(listCompaniesRoute, async (c) =>
    c.json(await listCompanies(queries, cursors, c.req.valid('query')), 200),
  );

  routes.openapi(getCompanyRoute, async (c) => {
    const { groupId } = c.req.valid('param');
    const company = await readCompany(queries, groupId);
    if (!company) throw new ApiError(404, 'company_not_found', `no company has groupId ${groupId}`);
    return c.json(company, 200);
  });

  return routes;
}
