import type { Company, CompanyDetail, CompanySort } from '../../companies/company-schemas.js';
import { ContactLink } from '../contact/contact-link.js';
import { DataTable } from '../data-table.js';
import { formatTime, formatValue } from '../format.js';
import { ErrorBox, Layout, type PageFrame } from '../layout.js';
import { Pager } from '../pager.js';

const sortLabels: Record<CompanySort, string> = { '-lastSeenAt': 'Last seen, newest first', groupId: 'Group id' };

function listHref(sort: CompanySort, cursor?: string): string {
  const params = new URLSearchParams();
  if (sort !== '-lastSeenAt') params.set('sort', sort);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return `/ui/companies${search ? `?${search}` : ''}`;
}

const companyHref = (groupId: string) => `/ui/companies/${encodeURIComponent(groupId)}`;

export function CompaniesListPage(
  props: PageFrame & {
    readonly sort: CompanySort;
    readonly isFirstPage: boolean;
    readonly companies: readonly Company[];
    readonly nextCursor: string | null;
    readonly error: string | undefined;
  },
) {
  return (
    <Layout {...props}>
      <h1>Companies</h1>
      <form method="get" action="/ui/companies" class="filters" aria-label="Sort companies">
        <div class="field">
          <label for="sort">Sort by</label>
          <select id="sort" name="sort">
            {Object.entries(sortLabels).map(([sort, label]) => (
              <option value={sort} selected={props.sort === sort}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Sort</button>
      </form>
      <ErrorBox message={props.error} />
      <DataTable
        caption="Companies"
        columns={['Name', 'Group id', 'First seen', 'Last seen']}
        rowCount={props.companies.length}
        emptyMessage="No companies yet: they come from group calls."
      >
        {props.companies.map((company) => (
          <tr>
            <td>
              <a href={companyHref(company.groupId)}>{company.name ?? company.groupId}</a>
            </td>
            <td>{company.groupId}</td>
            <td>{formatTime(company.firstSeenAt)}</td>
            <td>{formatTime(company.lastSeenAt)}</td>
          </tr>
        ))}
      </DataTable>
      <Pager
        firstHref={props.isFirstPage ? undefined : listHref(props.sort)}
        nextHref={props.nextCursor ? listHref(props.sort, props.nextCursor) : undefined}
      />
    </Layout>
  );
}

export function CompanyPage(props: PageFrame & { readonly company: CompanyDetail }) {
  const { company } = props;
  const traits = Object.entries(company.traits);
  const shown = company.contacts.length;
  const total = company.contactTotal;
  return (
    <Layout {...props}>
      <p>
        <a href="/ui/companies">All companies</a>
      </p>
      <h1>{company.name ?? company.groupId}</h1>
      <dl class="facts">
        <dt>Group id</dt>
        <dd>{company.groupId}</dd>
        <dt>First seen</dt>
        <dd>{formatTime(company.firstSeenAt)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTime(company.lastSeenAt)}</dd>
      </dl>
      <h2>Traits</h2>
      {traits.length === 0 ? (
        <p class="muted">No traits.</p>
      ) : (
        <dl class="facts">
          {traits.map(([name, value]) => (
            <>
              <dt>{name}</dt>
              <dd>{formatValue(value)}</dd>
            </>
          ))}
        </dl>
      )}
      <h2>Contacts</h2>
      <p class="muted">
        {total.isEstimate
          ? `More than ${(total.value - 1).toLocaleString('en')} contacts; the first ${shown} shown.`
          : `${total.value.toLocaleString('en')} ${total.value === 1 ? 'contact' : 'contacts'}${total.value > shown ? `; the first ${shown} shown` : ''}.`}
      </p>
      <DataTable
        caption={`Contacts of ${company.name ?? company.groupId}`}
        columns={['Name', 'Email']}
        rowCount={shown}
        emptyMessage="No contacts are linked to this company."
      >
        {company.contacts.map((contact) => (
          <tr>
            <td>
              <ContactLink contact={contact} />
            </td>
            <td>{contact.email ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}
