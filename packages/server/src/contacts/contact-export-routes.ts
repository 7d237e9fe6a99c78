import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { serveDescribedRoute } from '../http/described-route.js';
import { adminRefusals, adminSecurity } from '../http/route-spec-parts.js';
import { auditFromApi } from '../users/audit-actors.js';
import type { AuditLog } from '../users/user-store.js';
import { contactSorts } from './contact-schemas.js';
import { searchBodySchema } from './contact-search-spec.js';
import type { ContactSearch } from './contact-store.js';
import { streamContactsCsv } from './contacts-csv-stream.js';
import { defaultExportColumns, exportColumnNames, exportColumns } from './csv-export.js';

export interface ContactExportDeps {
  readonly search: ContactSearch;
  readonly admin: AdminGuard;
  /** Each export is recorded (actor `admin token`). */
  readonly audit: Pick<AuditLog, 'record'>;
}

const exportQuerySchema = z.object({
  filters: z.string().max(20_000).optional().openapi({
    description:
      'The filters of POST /v1/contacts/search, as JSON (`[{"field":"audience","op":"eq","value":"aud_…"}]`)',
  }),
  sort: z.enum(contactSorts).default('-lastSeenAt'),
  columns: z
    .string()
    .max(5_000)
    .optional()
    .openapi({
      description: `Comma-separated: ${exportColumnNames.join(', ')}, traits.<name>. Default: ${defaultExportColumns.join(',')}`,
    }),
});

export const exportContactsRoute = createRoute({
  tags: ['Contacts'],
  security: adminSecurity,
  method: 'get',
  path: '/contacts/export.csv',
  summary: 'Every contact a search matches, as CSV, streamed (an audience: filter audience eq its id)',
  description:
    'Text cells that start with =, +, -, @, a tab or a carriage return get a leading apostrophe, so a spreadsheet shows them as text (numbers stay numbers).',
  request: { query: exportQuerySchema },
  responses: {
    200: { content: { 'text/csv': { schema: z.string() } }, description: 'The CSV, a header row first' },
    ...adminRefusals(false),
  },
});

const pageSize = 500;

/** GET /v1/contacts/export.csv: a list view (the search's filters and sort) as CSV. */
export function createContactExportRoutes(deps: ContactExportDeps): OpenAPIHono<AppEnv> {
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/contacts/export.csv']);
  serveDescribedRoute(routes, exportContactsRoute, async (c) => {
    const query = exportQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new ApiError(400, 'invalid_request', 'sort: not one of the contact sorts');
    const columns = exportColumns(query.data.columns);
    if (!columns.ok) throw new ApiError(400, 'invalid_request', columns.message);
    let filters: unknown = [];
    try {
      filters = query.data.filters === undefined ? [] : JSON.parse(query.data.filters);
    } catch {
      throw new ApiError(400, 'invalid_request', 'filters: not JSON');
    }
    const body = searchBodySchema.safeParse({ filters, sort: query.data.sort, limit: pageSize });
    if (!body.success) throw new ApiError(400, 'invalid_request', `filters: ${body.error.issues[0]?.message}`);
    // The first page is read before the answer starts, so a bad filter is a plain 400.
    const answer = await streamContactsCsv(c, deps.search, body.data, columns);
    await auditFromApi(deps.audit, {
      action: 'contacts.exported',
      target: null,
      detail: { filters: body.data.filters, sort: body.data.sort, columns: query.data.columns ?? null },
    });
    return answer;
  });
  return routes;
}
