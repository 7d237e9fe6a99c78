import type { OpenAPIHono } from '@hono/zod-openapi';
import { requireAdminToken } from '../auth/admin-auth.js';
import type { CredentialStore } from '../auth/credential-store.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import type { SqliteDatabase } from '../storage/open-database.js';
import { createContactQueries } from './contact-queries.js';
import { findProfile, listContacts, readContact, readTimeline } from './contact-reads.js';
import { contactTimelineRoute, getContactRoute, listContactsRoute } from './contact-route-specs.js';

export interface ContactRouteDeps {
  readonly db: SqliteDatabase;
  readonly credentials: CredentialStore;
}

/** The contacts API, mounted under /v1; every route needs the admin token. */
export function createContactRoutes(deps: ContactRouteDeps): OpenAPIHono<AppEnv> {
  const queries = createContactQueries(deps.db);
  const routes = createApiRouter();
  // Exact paths, not '*': once mounted under /v1, '*' would also guard the ingest routes.
  const adminOnly = requireAdminToken(deps.credentials);
  routes.use('/contacts', adminOnly);
  routes.use('/contacts/*', adminOnly);

  routes.openapi(listContactsRoute, (c) => {
    const { limit, cursor, sort, q } = c.req.valid('query');
    return c.json(listContacts(queries, { limit, cursor, sort, q }), 200);
  });

  routes.openapi(getContactRoute, (c) => {
    const found = findProfile(queries, c.req.valid('param').ref);
    return c.json(readContact(queries, found), 200);
  });

  routes.openapi(contactTimelineRoute, (c) => {
    const found = findProfile(queries, c.req.valid('param').ref);
    const { limit, cursor, type, event } = c.req.valid('query');
    return c.json(readTimeline(queries, found.row.id, { limit, cursor, type, event }), 200);
  });

  return routes;
}
