import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import type { Page } from '../contacts/contact-reads.js';
import { countedTotal, exactCountLimit } from '../contacts/contact-search-spec.js';
import type { CursorCodec } from '../contacts/cursor.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import type { Company } from './company-schemas.js';
import { getCompanyRoute, listCompaniesRoute } from './company-schemas.js';
import { type CompanyQueries, type CompanyRow, companySortColumns } from './company-store.js';

export interface CompanyRouteDeps {
  readonly companies: CompanyQueries;
  readonly cursors: CursorCodec;
  readonly admin: AdminGuard;
}

const contactsShown = 100;

/** The companies API, mounted under /v1; every route needs the admin token. */
export function createCompanyRoutes(deps: CompanyRouteDeps): OpenAPIHono<AppEnv> {
  const { companies: queries, cursors } = deps;
  const routes = createApiRouter();
  // Exact paths, not '*': once mounted under /v1, '*' would also guard the ingest routes.
  deps.admin.guard(routes, ['/companies', '/companies/*']);

  routes.openapi(listCompaniesRoute, async (c) => {
    const { limit, cursor, sort } = c.req.valid('query');
    const column = companySortColumns[sort];
    const keyType = column === 'group_id' ? 'string' : 'integer';
    const after = cursor === undefined ? undefined : cursors.read(cursor, sort, keyType);
    // One row more than asked tells whether another page exists without a count query.
    const rows = await queries.listCompanies(sort, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const answer: Page<Company> = {
      data: page.map(toCompany),
      nextCursor: rows.length > limit && last ? cursors.encode({ sort, key: last[column], id: last.id }) : null,
    };
    return c.json(answer, 200);
  });

  routes.openapi(getCompanyRoute, async (c) => {
    const { groupId } = c.req.valid('param');
    const row = await queries.companyByGroupId(groupId);
    if (!row) throw new ApiError(404, 'company_not_found', `no company has groupId ${groupId}`);
    const contacts = (await queries.contactsOf(row.id, contactsShown)).map((contact) => ({
      id: contact.public_id,
      // The listing columns of migration 005 hold '' for none.
      email: contact.contact_email === '' ? null : contact.contact_email,
      name: contact.contact_name === '' ? null : contact.contact_name,
    }));
    const contactTotal = countedTotal(await queries.contactCount(row.id, exactCountLimit + 1));
    return c.json({ ...toCompany(row), contacts, contactTotal }, 200);
  });

  return routes;
}

function toCompany(row: CompanyRow): Company {
  const traits = JSON.parse(row.traits) as Record<string, unknown>;
  const name = typeof traits.name === 'string' && traits.name.trim() !== '' ? traits.name.trim() : null;
  return {
    groupId: row.group_id,
    name,
    traits,
    firstSeenAt: new Date(row.first_seen_at).toISOString(),
    lastSeenAt: new Date(row.last_seen_at).toISOString(),
  };
}
