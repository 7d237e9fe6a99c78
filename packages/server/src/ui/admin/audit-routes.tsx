import { Hono } from 'hono';
import type { AuditLog } from '../../users/user-store.js';
import { requirePermission } from '../permission.js';
import { renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { AuditPage } from './audit-page.js';

const pageSize = 50;

/** GET /ui/admin/audit (admins only); ?before=<entry id> for older entries. */
export function createAdminAuditRoutes(deps: { readonly audit: AuditLog }): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  routes.use('/admin/audit', requirePermission('administer'));
  routes.get('/admin/audit', async (c) => {
    const given = Number(c.req.query('before'));
    const before = Number.isSafeInteger(given) && given > 0 ? given : undefined;
    // One more than a page: whether there is an older page, without a count.
    const read = await deps.audit.list({ limit: pageSize + 1, before });
    const entries = read.slice(0, pageSize);
    return renderPage(
      c,
      <AuditPage
        title="Audit log"
        section="admin"
        viewer={viewerOf(c)}
        entries={entries}
        olderBefore={read.length > pageSize ? entries.at(-1)?.id : undefined}
        isFirstPage={before === undefined}
      />,
    );
  });
  return routes;
}
