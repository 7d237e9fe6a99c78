import { type Context, Hono } from 'hono';
import type { FoundProfile } from '../../contacts/contact-reads.js';
import { readContact } from '../../contacts/contact-reads.js';
import type { Contact } from '../../contacts/contact-schemas.js';
import type { Session } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { formatTime } from '../format.js';
import { CsrfField, Layout } from '../layout.js';
import { assertPermission } from '../permission.js';
import { redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { contactLabel } from './contact-link.js';
import { renderContactPage } from './contact-page.js';
import { type ContactPageDeps, contactHref, contactOfPath, findContact } from './contact-page-data.js';

/**
 * Merging another contact into this one: GET asks, naming both and what moves; POST merges. A
 * refusal (no such contact, the same one, over the identity caps) shows on the contact page.
 */
export function createContactMergeRoutes(deps: ContactPageDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const { queries } = deps.contacts;

  /** This contact and the other, or the contact page saying why there is no other. */
  async function pairOf(c: Context<UiEnv>, other: string) {
    const survivor = await contactOfPath(c, deps);
    try {
      const absorbed = await findContact(queries, other);
      if (absorbed.row.id === survivor.row.id) throw new UiError(400, 'Merge: that names this same contact.');
      return { survivor, absorbed };
    } catch (error) {
      if (!(error instanceof UiError)) throw error;
      const message = error.message.startsWith('Merge:') ? error.message : `Merge: ${error.message}`;
      return renderContactPage(c, deps, survivor, { message, status: error.status });
    }
  }

  routes.get('/contacts/:id/merge', async (c) => {
    assertPermission(c, 'edit');
    const pair = await pairOf(c, c.req.query('other') ?? '');
    if (pair instanceof Response) return pair;
    const [survivor, absorbed] = await Promise.all([readOf(pair.survivor), readOf(pair.absorbed)]);
    return renderPage(
      c,
      <Layout title="Merge contacts" section="contacts" viewer={viewerOf(c)}>
        <MergeConfirmation survivor={survivor} absorbed={absorbed} session={c.get('session')} />
      </Layout>,
    );
  });

  routes.post('/contacts/:id/merge', async (c) => {
    assertPermission(c, 'edit');
    const form = await c.req.parseBody();
    const pair = await pairOf(c, typeof form.other === 'string' ? form.other : '');
    if (pair instanceof Response) return pair;
    const { survivor, absorbed } = pair;
    if ((await deps.contacts.merges.merge(survivor.row.id, absorbed.row.id)) === 'over_caps') {
      const message =
        'Merge: these two cannot be one contact; together they would hold more identifiers, or more merges, than the identity rules allow.';
      return renderContactPage(c, deps, survivor, { message, status: 409 });
    }
    await auditFromUi(deps.users.audit, c, {
      action: 'contact.merged',
      target: survivor.row.public_id,
      detail: { absorbed: absorbed.row.public_id },
    });
    return redirectDone(c, contactHref(survivor.row.public_id), 'merged');
  });

  const readOf = (found: FoundProfile) => readContact(queries, { row: found.row, mergedFrom: undefined });
  return routes;
}

function MergeConfirmation(props: {
  readonly survivor: Contact;
  readonly absorbed: Contact;
  readonly session: Session;
}) {
  const { survivor, absorbed } = props;
  const rows: [string, (contact: Contact) => string][] = [
    ['Name', (contact) => contact.name ?? ''],
    ['Email', (contact) => contact.email ?? ''],
    ['Contact id', (contact) => contact.id],
    ['Identities', (contact) => contact.identities.map((identity) => `${identity.type}: ${identity.value}`).join(', ')],
    ['Events', (contact) => contact.eventCount.toLocaleString('en')],
    ['Last seen', (contact) => formatTime(contact.lastSeenAt)],
  ];
  return (
    <>
      <h1>
        Merge {contactLabel(absorbed)} into {contactLabel(survivor)}?
      </h1>
      <table>
        <caption class="visually-hidden">The two contacts</caption>
        <thead>
          <tr>
            <td></td>
            <th scope="col">Stays: {contactLabel(survivor)}</th>
            <th scope="col">Merges in: {contactLabel(absorbed)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, read]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>{read(survivor)}</td>
              <td>{read(absorbed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>What moves</h2>
      <ul>
        <li>
          Every identity, event, note and company of {absorbed.id} moves to {survivor.id}; its id will lead there from
          now on.
        </li>
        <li>Traits both hold keep the newer value.</li>
        <li>
          Lifecycle stage and owner stay as {survivor.id} has them, taken from {absorbed.id} only where it has none; the
          tags of both are kept.
        </li>
        <li>A merge cannot be undone here.</li>
      </ul>
      <form method="post" action={`${contactHref(survivor.id)}/merge`} class="toolbar">
        <CsrfField session={props.session} />
        <input type="hidden" name="other" value={absorbed.id} />
        <button class="primary" type="submit">
          Merge
        </button>
        <a href={contactHref(survivor.id)}>Cancel</a>
      </form>
    </>
  );
}
