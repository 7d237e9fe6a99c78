import { Hono } from 'hono';
import { readContact } from '../../contacts/contact-reads.js';
import type { Contact } from '../../contacts/contact-schemas.js';
import { ErasureNotFinal } from '../../privacy/privacy-store.js';
import type { Session } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { CsrfField, Layout } from '../layout.js';
import { assertPermission } from '../permission.js';
import { redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { contactLabel } from './contact-link.js';
import { type ContactPageDeps, contactHref, contactOfPath } from './contact-page-data.js';

// Enough to say how many notes go; past it the page says "at least".
const notesCountedUpTo = 500;

/** Erasing a contact, admins only: GET names what goes and asks; POST erases, audits, and returns to the list. */
export function createContactEraseRoutes(deps: ContactPageDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { queries, notes } = deps.contacts;

  routes.get('/contacts/:id/erase', async (c) => {
    assertPermission(c, 'erase');
    const found = await contactOfPath(c, deps);
    const [contact, notePage] = await Promise.all([
      readContact(queries, { row: found.row, mergedFrom: undefined }),
      notes.list(found.row.id, { limit: notesCountedUpTo, cursor: undefined }),
    ]);
    const noteCount = `${notePage.nextCursor ? 'at least ' : ''}${countOf(notePage.data.length, 'note')}`;
    return renderPage(
      c,
      <Layout title="Erase contact" section="contacts" viewer={viewerOf(c)}>
        <EraseConfirmation contact={contact} noteCount={noteCount} session={c.get('session')} />
      </Layout>,
    );
  });

  routes.post('/contacts/:id/erase', async (c) => {
    assertPermission(c, 'erase');
    const found = await contactOfPath(c, deps);
    const form = await c.req.parseBody();
    const suppress = form.suppress === 'true';
    const target = found.row.public_id;
    try {
      const summary = await deps.privacy.eraser.erase(found.row.id, { suppress });
      const { erasedAt: _erasedAt, ...counts } = summary;
      await auditFromUi(deps.users.audit, c, { action: 'contact.erased', target, detail: counts });
    } catch (error) {
      if (!(error instanceof ErasureNotFinal)) throw error;
      // The rows are gone; only old copies in the write-ahead log remain, so the erasure is audited.
      await auditFromUi(deps.users.audit, c, { action: 'contact.erased', target, detail: { suppress, final: false } });
      throw new UiError(503, `The contact was erased, but not yet from every copy on disk: ${error.message}`);
    }
    return redirectDone(c, '/ui/contacts', 'erased');
  });

  return routes;
}

function countOf(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}

function EraseConfirmation(props: {
  readonly contact: Contact;
  readonly noteCount: string;
  readonly session: Session;
}) {
  const { contact } = props;
  const href = contactHref(contact.id);
  return (
    <>
      <h1>Erase {contactLabel(contact)}?</h1>
      <p>
        This removes {contact.id} for good, with everything stored about it. <strong>It cannot be undone.</strong>
      </p>
      <h2>What will be removed</h2>
      <ul>
        <li>
          Its identifiers:
          <ul>
            {contact.identities.map((identity) => (
              <li>
                {identity.type}: {identity.value}
              </li>
            ))}
          </ul>
        </li>
        <li>{countOf(contact.eventCount, 'event')}</li>
        <li>{props.noteCount}</li>
        {contact.merges.length > 0 ? (
          <li>{countOf(contact.merges.length, 'contact')} merged into it, with theirs</li>
        ) : null}
        <li>Its traits, edits, audience memberships and change history</li>
      </ul>
      <form method="post" action={`${href}/erase`} class="stack" data-confirm="Erase this contact for good?">
        <CsrfField session={props.session} />
        <label>
          <input type="checkbox" name="suppress" value="true" /> Also suppress these identifiers: events that name them
          later are dropped, not stored
        </label>
        <div class="toolbar">
          <button class="danger" type="submit">
            Erase for good
          </button>
          <a href={href}>Cancel</a>
        </div>
      </form>
    </>
  );
}
