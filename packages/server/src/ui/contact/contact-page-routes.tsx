import { Hono } from 'hono';
import { readContact, readWholeContact } from '../../contacts/contact-reads.js';
import { newNoteSchema } from '../../contacts/contact-write-schemas.js';
import { auditFromUi } from '../audit-actor.js';
import { assertPermission } from '../permission.js';
import { redirectDone } from '../render-page.js';
import type { UiEnv } from '../ui-env.js';
import { readEditForm, withoutUnchanged } from './contact-edit-form.js';
import { createContactEraseRoutes } from './contact-erase-routes.js';
import { createContactMergeRoutes } from './contact-merge-routes.js';
import { renderContactPage } from './contact-page.js';
import { type ContactPageDeps, contactHref, contactOfPath } from './contact-page-data.js';

/**
 * GET /ui/contacts/:id and what its forms post to: edits, notes, export, merge, erase. Mount after
 * the list's routes, whose /contacts/export.csv :id would otherwise take.
 */
export function createContactPageRoutes(deps: ContactPageDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { queries, writes, notes } = deps.contacts;

  routes.get('/contacts/:id', async (c) => {
    const found = await contactOfPath(c, deps);
    if (found.row.public_id !== c.req.param('id')) return c.redirect(contactHref(found.row.public_id), 302);
    return renderContactPage(c, deps, found);
  });

  routes.post('/contacts/:id/edit', async (c) => {
    assertPermission(c, 'edit');
    const found = await contactOfPath(c, deps);
    const edit = readEditForm(await c.req.parseBody());
    if (!edit.ok) return renderContactPage(c, deps, found, { message: edit.message, status: 400 });
    const patch = withoutUnchanged(edit.patch, await readContact(queries, found));
    if (Object.keys(patch).length > 0) await writes.patch(found.row.id, patch);
    return redirectDone(c, contactHref(found.row.public_id), 'saved');
  });

  routes.post('/contacts/:id/notes', async (c) => {
    assertPermission(c, 'edit');
    const found = await contactOfPath(c, deps);
    const form = await c.req.parseBody();
    const body = typeof form.body === 'string' ? form.body.replace(/\r\n/g, '\n') : '';
    const note = newNoteSchema.safeParse({ body, author: c.get('user').email });
    if (!note.success || body.trim() === '') {
      const problem = note.success ? 'write something first' : note.error.issues[0]?.message;
      return renderContactPage(c, deps, found, { message: `Note: ${problem}.`, status: 400 });
    }
    await notes.add(found.row.id, note.data.body, note.data.author);
    return redirectDone(c, contactHref(found.row.public_id), 'note_added');
  });

  routes.get('/contacts/:id/export.json', async (c) => {
    assertPermission(c, 'edit');
    const found = await contactOfPath(c, deps);
    const contact = await readWholeContact(
      { ...deps, queries: deps.contacts.queries },
      { row: found.row, mergedFrom: undefined },
    );
    const exported = await deps.privacy.exporter.exportContact(found.row.id, contact, deps.now());
    await auditFromUi(deps.users.audit, c, {
      action: 'contact.exported',
      target: found.row.public_id,
      detail: { events: exported.events.length, notes: exported.notes.length },
    });
    c.header('Content-Disposition', `attachment; filename="contact-${found.row.public_id}.json"`);
    return c.json(exported, 200);
  });

  routes.route('/', createContactMergeRoutes(deps));
  routes.route('/', createContactEraseRoutes(deps));
  return routes;
}
