import { Hono } from 'hono';
import { listCompanies, readCompany } from '../../companies/company-reads.js';
import { type Company, type CompanySort, companySorts } from '../../companies/company-schemas.js';
import type { CompanyQueries } from '../../companies/company-store.js';
import type { Page } from '../../contacts/contact-reads.js';
import type { CursorCodec } from '../../contacts/cursor.js';
import { ApiError } from '../../http/api-error.js';
import { renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { CompaniesListPage, CompanyPage } from './company-views.js';

export interface CompanyPagesDeps {
  readonly companies: CompanyQueries;
  readonly cursors: CursorCodec;
}

const pageSize = 50;

/** GET /ui/companies (a page at a time, sorted as the API sorts) and GET /ui/companies/:groupId. */
export function createCompanyPages(deps: CompanyPagesDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();

  routes.get('/companies', async (c) => {
    const asked = c.req.query('sort');
    const sort: CompanySort = (companySorts as readonly string[]).includes(asked ?? '')
      ? (asked as CompanySort)
      : '-lastSeenAt';
    const cursor = c.req.query('cursor') || undefined;
    let page: Page<Company> = { data: [], nextCursor: null };
    let error: string | undefined;
    try {
      page = await listCompanies(deps.companies, deps.cursors, { sort, limit: pageSize, cursor });
    } catch (failure) {
      // A cursor from another sort or another server: said above an empty table.
      if (!(failure instanceof ApiError)) throw failure;
      error = failure.message;
    }
    return renderPage(
      c,
      <CompaniesListPage
        title="Companies"
        section="companies"
        viewer={viewerOf(c)}
        sort={sort}
        isFirstPage={cursor === undefined}
        companies={page.data}
        nextCursor={page.nextCursor}
        error={error}
      />,
      error ? 400 : 200,
    );
  });

  routes.get('/companies/:groupId', async (c) => {
    const groupId = c.req.param('groupId');
    const company = await readCompany(deps.companies, groupId);
    if (!company) throw new UiError(404, 'No company has the group id in this address.');
    return renderPage(
      c,
      <CompanyPage
        title={company.name ?? company.groupId}
        section="companies"
        viewer={viewerOf(c)}
        company={company}
      />,
    );
  });

  return routes;
}
