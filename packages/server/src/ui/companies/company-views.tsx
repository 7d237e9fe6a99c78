import type { Company, CompanyDetail, CompanySort } from '../../companies/company-schemas.js';
import { formatTime, formatValue } from '../format.js';
import { ErrorBox, Layout, type PageFrame } from '../layout.js';

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
      <div class="table-wrap" tabindex={0}>
        <table>
          <caption class="visually-hidden">Companies</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Group id</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
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
            {props.companies.length === 0 ? (
              <tr>
                <td colspan={4} class="muted">
                  No companies yet: they come from group calls.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        {props.isFirstPage ? null : <a href={listHref(props.sort)}>First page</a>}
        {props.nextCursor ? (
          <a href={listHref(props.sort, props.nextCursor)} rel="next">
            Next page
          </a>
        ) : null}
      </nav>
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
      <div class="table-wrap" tabindex={0}>
        <table>
          <caption class="visually-hidden">Contacts of {company.name ?? company.groupId}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
            </tr>
          </thead>
          <tbody>
            {company.contacts.map((contact) => (
              <tr>
                <td>
                  <a href={`/ui/contacts/${encodeURIComponent(contact.id)}`}>
                    {contact.name ?? contact.email ?? contact.id}
                  </a>
                </td>
                <td>{contact.email ?? ''}</td>
              </tr>
            ))}
            {shown === 0 ? (
              <tr>
                <td colspan={2} class="muted">
                  No contacts are linked to this company.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
