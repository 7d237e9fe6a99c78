import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FoundProfile } from '../../contacts/contact-reads.js';
import { can } from '../../users/roles.js';
import { ErrorBox, Layout, type PageFrame } from '../layout.js';
import { noticeOf, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { ActionsCard, EditCard } from './contact-forms.js';
import { contactLabel } from './contact-link.js';
import { type ContactPageData, type ContactPageDeps, contactHref, loadContactPage } from './contact-page-data.js';
import {
  AudiencesCard,
  CompaniesCard,
  DetailsCard,
  IdentitiesCard,
  MergeHistoryCard,
  TraitsCard,
} from './contact-sections.js';
import { NotesCard, TimelineCard } from './contact-timeline.js';

/**
 * One contact: what is stored about it, its timeline and notes, and (for members) the forms that
 * change it. What events change (traits, audiences, timeline) sits in #contact-live, which the UI
 * script reloads on each change of this contact; the forms stay outside it, so typing is never lost.
 */
export function ContactPage(
  props: PageFrame & { readonly data: ContactPageData; readonly error?: string | undefined },
) {
  const { data, viewer } = props;
  const { contact } = data;
  const role = viewer?.user.role;
  const editSession = viewer && role && can(role, 'edit') ? viewer.session : undefined;
  return (
    <Layout {...props}>
      <h1>{contactLabel(contact)}</h1>
      {contact.email && contact.email !== contactLabel(contact) ? <p class="muted">{contact.email}</p> : null}
      <ErrorBox message={props.error} />
      <div class="grid">
        <div>
          <DetailsCard contact={contact} />
          <IdentitiesCard contact={contact} />
          <CompaniesCard contact={contact} />
          <MergeHistoryCard contact={contact} />
          {editSession ? <EditCard contact={contact} session={editSession} /> : null}
          {editSession ? <ActionsCard contact={contact} mayErase={role ? can(role, 'erase') : false} /> : null}
        </div>
        <div>
          <div id="contact-live" data-live={`/ui/live/contacts/${contact.id}`} data-live-page={contactHref(contact.id)}>
            <TraitsCard
              contact={contact}
              editedTraits={data.editedTraits}
              computedTraits={data.computedTraits}
              editSession={editSession}
            />
            <AudiencesCard audiences={data.audiences} />
            <TimelineCard contactId={contact.id} timeline={data.timeline} />
          </div>
          <NotesCard contactId={contact.id} notes={data.notes} editSession={editSession} />
        </div>
      </div>
    </Layout>
  );
}

/** The page as an answer; after a refused form, with why above it (and the form's status). */
export async function renderContactPage(
  c: Context<UiEnv>,
  deps: ContactPageDeps,
  found: FoundProfile,
  refusal?: { readonly message: string; readonly status: ContentfulStatusCode },
): Promise<Response> {
  // A refused form shows the page's first pages; only a plain GET follows the paging links.
  const data = await loadContactPage(deps, found, {
    before: refusal ? undefined : c.req.query('before'),
    notesBefore: refusal ? undefined : c.req.query('notes'),
  });
  return renderPage(
    c,
    <ContactPage
      title={contactLabel(data.contact)}
      section="contacts"
      viewer={viewerOf(c)}
      notice={refusal ? undefined : noticeOf(c)}
      data={data}
      error={refusal?.message}
    />,
    refusal?.status ?? 200,
  );
}
