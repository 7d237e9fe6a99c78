import type { ContactAudience } from '../../audiences/audience-store.js';
import type { Contact } from '../../contacts/contact-schemas.js';
import type { Session } from '../../users/user-store.js';
import { stageLabels } from '../contacts/list-query.js';
import { TableHead } from '../data-table.js';
import { formatTime, formatValue } from '../format.js';
import { CsrfField } from '../layout.js';
import { contactHref } from './contact-page-data.js';

/** The parts of the contact page that show what is stored, one card each. */

export function DetailsCard(props: { readonly contact: Contact }) {
  const { contact } = props;
  return (
    <section class="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl class="facts">
        <dt>Contact id</dt>
        <dd>{contact.id}</dd>
        <dt>Lifecycle stage</dt>
        <dd>{contact.lifecycleStage ? stageLabels[contact.lifecycleStage] : 'None'}</dd>
        <dt>Owner</dt>
        <dd>{contact.owner ?? 'None'}</dd>
        <dt>Tags</dt>
        <dd>{contact.tags.length > 0 ? contact.tags.map((tag) => <span class="tag">{tag}</span>) : 'None'}</dd>
        <dt>First seen</dt>
        <dd>{formatTime(contact.firstSeenAt)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTime(contact.lastSeenAt)}</dd>
        <dt>Events</dt>
        <dd>{contact.eventCount.toLocaleString('en')}</dd>
      </dl>
    </section>
  );
}

export function IdentitiesCard(props: { readonly contact: Contact }) {
  return (
    <section class="card" aria-labelledby="identities-heading">
      <h2 id="identities-heading">Identities</h2>
      <table>
        <TableHead columns={['Type', 'Value', 'First seen']} />
        <tbody>
          {props.contact.identities.map((identity) => (
            <tr>
              <td>{identity.type}</td>
              <td>{identity.value}</td>
              <td>{formatTime(identity.firstSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CompaniesCard(props: { readonly contact: Contact }) {
  const { companies } = props.contact;
  return (
    <section class="card" aria-labelledby="companies-heading">
      <h2 id="companies-heading">Companies</h2>
      {companies.length === 0 ? (
        <p class="muted">In no company.</p>
      ) : (
        <ul>
          {companies.map((company) => (
            <li>
              <a href={`/ui/companies/${encodeURIComponent(company.groupId)}`}>{company.name ?? company.groupId}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MergeHistoryCard(props: { readonly contact: Contact }) {
  const { merges } = props.contact;
  return (
    <section class="card" aria-labelledby="merges-heading">
      <h2 id="merges-heading">Merge history</h2>
      {merges.length === 0 ? (
        <p class="muted">No other contact has merged into this one.</p>
      ) : (
        <ul>
          {merges.map((merge) => (
            <li>
              {merge.absorbedId} merged in {formatTime(merge.at)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface TraitsProps {
  readonly contact: Contact;
  readonly editedTraits: ReadonlySet<string>;
  readonly computedTraits: Record<string, unknown>;
  /** Absent for a viewer: no remove buttons. */
  readonly editSession: Session | undefined;
}

export function TraitsCard(props: TraitsProps) {
  const { contact, editSession } = props;
  // A trait set to null (how an edit removes one) has no value left to show.
  const traits = Object.entries(contact.traits).filter(([, value]) => value !== null);
  const computed = Object.entries(props.computedTraits);
  return (
    <section class="card" aria-labelledby="traits-heading">
      <h2 id="traits-heading">Traits</h2>
      <table>
        <TableHead columns={['Trait', 'Value', 'Where it came from', ...(editSession ? ['Remove'] : [])]} />
        <tbody>
          {traits.map(([name, value]) => {
            const isEdited = props.editedTraits.has(name);
            return (
              <tr>
                <th scope="row">{name}</th>
                <td>{formatValue(value)}</td>
                <td>
                  <span class={isEdited ? 'source edited' : 'source'}>
                    {isEdited ? 'edited by a person' : 'from events'}
                  </span>
                </td>
                {editSession ? (
                  <td>
                    <form class="inline" method="post" action={`${contactHref(contact.id)}/edit`}>
                      <CsrfField session={editSession} />
                      <input type="hidden" name="part" value="removeTrait" />
                      <input type="hidden" name="traitName" value={name} />
                      <button type="submit">
                        Remove<span class="visually-hidden"> trait {name}</span>
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            );
          })}
          {computed.map(([name, value]) => (
            <tr>
              <th scope="row">{name}</th>
              <td>{formatValue(value)}</td>
              <td>
                <span class="source computed">computed</span>
              </td>
              {editSession ? <td></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {traits.length + computed.length === 0 ? <p class="muted">No traits yet.</p> : null}
    </section>
  );
}

export function AudiencesCard(props: { readonly audiences: readonly ContactAudience[] }) {
  return (
    <section class="card" aria-labelledby="audiences-heading">
      <h2 id="audiences-heading">Audiences</h2>
      {props.audiences.length === 0 ? (
        <p class="muted">In no audience.</p>
      ) : (
        <table>
          <TableHead columns={['Audience', 'Entered']} />
          <tbody>
            {props.audiences.map((audience) => (
              <tr>
                <td>
                  <a href={`/ui/audiences/${encodeURIComponent(audience.id)}`}>{audience.name}</a>
                </td>
                <td>
                  {formatTime(audience.enteredAt)}
                  {audience.isBackfill ? <span class="small muted"> (when the audience was defined)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
