import type { AudienceMember } from '../../audiences/audience-members.js';
import type { AudienceRecord } from '../../audiences/audience-store.js';
import type { Page } from '../../contacts/contact-reads.js';
import { ContactLink } from '../contact/contact-link.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { ErrorBox, Layout, type PageFrame } from '../layout.js';
import { Pager } from '../pager.js';
import type { AudienceDraft } from './audience-form.js';
import { AudienceEditor, phaseLabels } from './audience-views.js';

export interface AudienceView {
  readonly audience: AudienceRecord;
  readonly members: Page<AudienceMember>;
  readonly isFirstPage: boolean;
  /** Why the members could not be read (a cursor from elsewhere). */
  readonly membersError: string | undefined;
  /** Absent for a viewer: the rule is shown, not edited. */
  readonly editor?: { readonly draft: AudienceDraft; readonly error: string | undefined } | undefined;
}

export const ruleText = (rule: unknown) => JSON.stringify(rule, null, 2);

export function AudiencePage(props: PageFrame & AudienceView) {
  const { audience, members, editor, viewer } = props;
  const href = `/ui/audiences/${encodeURIComponent(audience.id)}`;
  return (
    <Layout {...props}>
      <p>
        <a href="/ui/audiences">All audiences</a>
      </p>
      <h1>{audience.name}</h1>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          {phaseLabels[audience.phase]}
          {audience.phase === 'ready' ? '' : ` (${audience.progress.processed} of ${audience.progress.total})`}
        </dd>
        <dt>Updated</dt>
        <dd>{formatTime(audience.updatedAt)}</dd>
      </dl>
      <h2>Rule</h2>
      {editor && viewer ? (
        <AudienceEditor
          session={viewer.session}
          action={href}
          draft={editor.draft}
          error={editor.error}
          submitLabel="Save audience"
        />
      ) : (
        <pre>{ruleText(audience.rule)}</pre>
      )}
      <section id="audience-live" data-live={`/ui/live/audiences/${audience.id}`} aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <p class="muted">
          {`${audience.memberCount.toLocaleString('en')} ${audience.memberCount === 1 ? 'member' : 'members'}`}
          {audience.phase === 'ready' ? '' : '; partial until the audience is ready'}
        </p>
        <ErrorBox message={props.membersError} />
        <DataTable
          caption={`Members of ${audience.name}`}
          columns={['Contact', 'Email', 'Entered']}
          rowCount={members.data.length}
          emptyMessage={`No members${props.isFirstPage ? '' : ' on this page'}.`}
        >
          {members.data.map(({ contact, enteredAt, isBackfill }) => (
            <tr>
              <td>
                <ContactLink contact={contact} />
              </td>
              <td>{contact.email ?? ''}</td>
              <td>{isBackfill ? `${formatTime(enteredAt)} (found by the backfill)` : formatTime(enteredAt)}</td>
            </tr>
          ))}
        </DataTable>
        <Pager
          label="Member pages"
          firstHref={props.isFirstPage ? undefined : href}
          nextHref={members.nextCursor ? `${href}?cursor=${encodeURIComponent(members.nextCursor)}` : undefined}
        />
      </section>
    </Layout>
  );
}
