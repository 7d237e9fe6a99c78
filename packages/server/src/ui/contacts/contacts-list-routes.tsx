import { Hono } from 'hono';
import type { AudienceStore } from '../../audiences/audience-store.js';
import { listContacts } from '../../contacts/contact-reads.js';
import type { Contact } from '../../contacts/contact-schemas.js';
import type { ContactStore } from '../../contacts/contact-store.js';
import { streamContactsCsv } from '../../contacts/contacts-csv-stream.js';
import { exportColumns } from '../../contacts/csv-export.js';
import type { CursorCodec } from '../../contacts/cursor.js';
import { ApiError } from '../../http/api-error.js';
import type { UserStore } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { formText } from '../form-fields.js';
import { assertPermission } from '../permission.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { ContactsListPage } from './contacts-list-page.js';
import { filtersOf, listHref, readListQuery, searchBoxFilter } from './list-query.js';

export interface ContactsListDeps {
  readonly contacts: Pick<ContactStore, 'queries' | 'search'>;
  readonly audiences: Pick<AudienceStore, 'summaries'>;
  readonly cursors: CursorCodec;
  readonly users: Pick<UserStore, 'views' | 'audit'>;
}

const pageSize = 50;
const maxViewsPerUser = 50;

/** GET /ui/contacts (the list), its CSV export, and saved views. */
export function createContactsListRoutes(deps: ContactsListDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { queries, search } = deps.contacts;

  routes.get('/contacts', async (c) => {
    const query = readListQuery(new URL(c.req.url).searchParams);
    const filters = filtersOf(query);
    let contacts: Contact[] = [];
    let nextCursor: string | null = null;
    let total: { value: number; isEstimate: boolean } | undefined;
    let error: string | undefined;
    try {
      if (filters.length === 0) {
        const request = { sort: query.sort, limit: pageSize, cursor: query.cursor, q: query.q || undefined };
        ({ data: contacts, nextCursor } = await listContacts(queries, deps.cursors, request));
      } else {
        ({
          data: contacts,
          nextCursor,
          total,
        } = await search.search({ filters, sort: query.sort, limit: pageSize, cursor: query.cursor }));
      }
    } catch (failure) {
      // A filter the store refuses (a cursor from another view, a trait name too long): said above an empty table.
      if (!(failure instanceof ApiError)) throw failure;
      error = failure.message;
    }
    const [audiences, views] = await Promise.all([
      deps.audiences.summaries(),
      deps.users.views.listOf(c.get('user').id),
    ]);
    return renderPage(
      c,
      <ContactsListPage
        title="Contacts"
        section="contacts"
        viewer={viewerOf(c)}
        notice={noticeOf(c)}
        query={query}
        contacts={contacts}
        nextCursor={nextCursor}
        total={total}
        audiences={audiences}
        views={views}
        error={error}
        search={listHref(query).split('?')[1] ?? ''}
      />,
      error ? 400 : 200,
    );
  });

  routes.get('/contacts/export.csv', async (c) => {
    assertPermission(c, 'edit');
    const query = readListQuery(new URL(c.req.url).searchParams);
    const columns = exportColumns(undefined);
    if (!columns.ok) throw new Error(columns.message);
    const filters = filtersOf(query);
    // The search box alone is the plain list's prefix of name or email: the search's own filter for it.
    if (filters.length === 0 && query.q) filters.push(searchBoxFilter(query.q));
    // Recorded once the first page is read: an export refused for a bad filter exported nothing.
    const answer = await streamContactsCsv(c, search, { filters, sort: query.sort, limit: 500 }, columns);
    await auditFromUi(deps.users.audit, c, {
      action: 'contacts.exported',
      target: null,
      detail: { filters, sort: query.sort },
    });
    return answer;
  });

  routes.post('/views', async (c) => {
    const form = await c.req.parseBody();
    const name = formText(form, 'name', 80);
    const query = typeof form.query === 'string' ? form.query.slice(0, 2_000) : '';
    if (!name) throw new UiError(400, 'A saved view needs a name.');
    const userId = c.get('user').id;
    if ((await deps.users.views.listOf(userId)).length >= maxViewsPerUser) {
      throw new UiError(400, `At most ${maxViewsPerUser} saved views each: remove one first.`);
    }
    // Kept as the list reads it back: only the list's own parameters survive.
    const saved = listHref(readListQuery(new URLSearchParams(query))).split('?')[1] ?? '';
    await deps.users.views.save(userId, name, saved);
    return redirectDone(c, `/ui/contacts${saved ? `?${saved}` : ''}`, 'view_saved');
  });

  routes.post('/views/:id/delete', async (c) => {
    await deps.users.views.remove(c.get('user').id, Number(c.req.param('id')));
    return redirectDone(c, '/ui/contacts', 'view_removed');
  });

  return routes;
}
