import type { Contact } from '../../contacts/contact-schemas.js';
import { can } from '../../users/roles.js';
import type { SavedView } from '../../users/user-store.js';
import { type Column, DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { Pager } from '../pager.js';
import { type ListColumn, type ListQuery, listColumns, listHref, sortableColumns, stageLabels } from './list-query.js';
import { StageOptions } from './stage-options.js';

export interface ContactsListView {
  readonly query: ListQuery;
  readonly contacts: readonly Contact[];
  readonly nextCursor: string | null;
  readonly total: { readonly value: number; readonly isEstimate: boolean } | undefined;
  readonly audiences: readonly { readonly id: string; readonly name: string }[];
  readonly views: readonly SavedView[];
  readonly error: string | undefined;
  /** The query string of this view, to save or export. */
  readonly search: string;
}

function cell(contact: Contact, column: ListColumn) {
  switch (column) {
    case 'name':
      return <a href={`/ui/contacts/${contact.id}`}>{contact.name ?? contact.email ?? contact.id}</a>;
    case 'email':
      return contact.email ?? '';
    case 'lifecycleStage':
      return contact.lifecycleStage ? stageLabels[contact.lifecycleStage] : '';
    case 'owner':
      return contact.owner ?? '';
    case 'tags':
      return contact.tags.map((tag) => <span class="tag">{tag}</span>);
    case 'companies':
      return contact.companies.map((company) => company.name ?? company.groupId).join(', ');
    case 'phone':
      return contact.phone ?? '';
    case 'eventCount':
      return String(contact.eventCount);
    default:
      return formatTime(contact[column]);
  }
}

/** A column's header: a sortable one links to the list sorted by it (the other way when it already is). */
function sortColumn(query: ListQuery, column: ListColumn): Column {
  const sortBy = sortableColumns[column];
  const label = listColumns[column];
  if (!sortBy) return label;
  const current = query.sort === sortBy ? 'ascending' : query.sort === `-${sortBy}` ? 'descending' : undefined;
  const next = current === 'descending' ? sortBy : `-${sortBy}`;
  return {
    sort: current ?? 'none',
    label: (
      <a href={listHref(query, { sort: next })}>
        {label}
        <span aria-hidden="true">{current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : ''}</span>
        <span class="visually-hidden">{current ? `, sorted ${current}; sort the other way` : ', sort'}</span>
      </a>
    ),
  };
}

export function ContactsListPage(props: PageFrame & ContactsListView) {
  const { query, viewer } = props;
  const mayEdit = viewer ? can(viewer.user.role, 'edit') : false;
  return (
    <Layout {...props}>
      <h1>Contacts</h1>
      {props.views.length > 0 ? (
        <nav aria-label="Saved views" class="toolbar">
          <span class="muted">Saved views:</span>
          {props.views.map((view) => (
            <span class="row">
              <a href={`/ui/contacts?${view.query}`}>{view.name}</a>
              {viewer ? (
                <form class="inline" method="post" action={`/ui/views/${view.id}/delete`}>
                  <CsrfField session={viewer.session} />
                  <button type="submit" class="small" aria-label={`Remove the saved view ${view.name}`}>
                    ×
                  </button>
                </form>
              ) : null}
            </span>
          ))}
        </nav>
      ) : null}
      <form method="get" action="/ui/contacts" class="filters" aria-label="Filter contacts">
        <div class="field">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={query.q} placeholder="Name or email starts with" />
        </div>
        <div class="field">
          <label for="stage">Lifecycle stage</label>
          <select id="stage" name="stage">
            <option value="">Any</option>
            <StageOptions selected={query.stage} />
          </select>
        </div>
        <div class="field">
          <label for="owner">Owner</label>
          <input id="owner" name="owner" type="text" value={query.owner} />
        </div>
        <div class="field">
          <label for="tag">Tag</label>
          <input id="tag" name="tag" type="text" value={query.tag} />
        </div>
        <div class="field">
          <label for="audience">Audience</label>
          <select id="audience" name="audience">
            <option value="">Any</option>
            {props.audiences.map((audience) => (
              <option value={audience.id} selected={query.audience === audience.id}>
                {audience.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="trait">Trait</label>
          <input id="trait" name="trait" type="text" value={query.trait} placeholder="plan" />
        </div>
        <div class="field">
          <label for="traitValue">equals</label>
          <input id="traitValue" name="traitValue" type="text" value={query.traitValue} placeholder="any value" />
        </div>
        <div class="field">
          <label for="seenAfter">Last seen from</label>
          <input id="seenAfter" name="seenAfter" type="date" value={query.seenAfter} />
        </div>
        <div class="field">
          <label for="seenBefore">Last seen until</label>
          <input id="seenBefore" name="seenBefore" type="date" value={query.seenBefore} />
        </div>
        {query.sort !== '-lastSeenAt' ? <input type="hidden" name="sort" value={query.sort} /> : null}
        <details>
          <summary>Columns</summary>
          <fieldset>
            <legend class="visually-hidden">Columns to show</legend>
            {Object.entries(listColumns).map(([column, label]) => (
              <label class="small">
                <input
                  type="checkbox"
                  name="cols"
                  value={column}
                  checked={query.columns.includes(column as ListColumn)}
                />{' '}
                {label}{' '}
              </label>
            ))}
          </fieldset>
        </details>
        <button class="primary" type="submit">
          Apply
        </button>
        <a href="/ui/contacts">Clear</a>
      </form>
      <ErrorBox message={props.error} />
      <div class="toolbar">
        <span class="muted" role="status">
          {props.total
            ? `${props.total.isEstimate ? 'More than 10,000' : props.total.value.toLocaleString('en')} matching`
            : `${props.contacts.length} shown`}
        </span>
        {mayEdit ? (
          <a class="button" href={`/ui/contacts/export.csv${props.search ? `?${props.search}` : ''}`}>
            Export CSV
          </a>
        ) : null}
        {mayEdit ? (
          <a class="button" href="/ui/imports">
            Import CSV
          </a>
        ) : null}
        {viewer ? (
          <form class="row" method="post" action="/ui/views">
            <CsrfField session={viewer.session} />
            <input type="hidden" name="query" value={props.search} />
            <label for="view-name" class="visually-hidden">
              Name of this view
            </label>
            <input id="view-name" name="name" type="text" required maxlength={80} placeholder="Name this view" />
            <button type="submit">Save view</button>
          </form>
        ) : null}
      </div>
      <DataTable
        caption="Contacts"
        columns={query.columns.map((column) => sortColumn(query, column))}
        rowCount={props.contacts.length}
        emptyMessage="No contacts match."
      >
        {props.contacts.map((contact) => (
          <tr>
            {query.columns.map((column) => (
              <td>{cell(contact, column)}</td>
            ))}
          </tr>
        ))}
      </DataTable>
      <Pager
        firstHref={query.cursor ? listHref(query) : undefined}
        nextHref={props.nextCursor ? listHref(query, { cursor: props.nextCursor }) : undefined}
      />
    </Layout>
  );
}
