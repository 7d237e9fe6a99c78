import type { AuditEntry } from '../../users/user-store.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { Layout, type PageFrame } from '../layout.js';
import { Pager } from '../pager.js';
import { AdminNav } from './admin-nav.js';

export interface AuditView {
  readonly entries: readonly AuditEntry[];
  /** The id to read older entries before, when there are any. */
  readonly olderBefore: number | undefined;
  readonly isFirstPage: boolean;
}

/** GET /ui/admin/audit: who did what, newest first, a page at a time. */
export function AuditPage(props: PageFrame & AuditView) {
  return (
    <Layout {...props}>
      <h1>Audit log</h1>
      <AdminNav current="audit" />
      <DataTable
        caption="Audit log, newest first"
        columns={['When (UTC)', 'Who', 'What', 'Target', 'Detail']}
        rowCount={props.entries.length}
        emptyMessage={`Nothing recorded${props.isFirstPage ? ' yet' : ' before this'}.`}
      >
        {props.entries.map((entry) => (
          <tr>
            <td>{formatTime(entry.at)}</td>
            <td>{entry.actor}</td>
            <td>{entry.action}</td>
            <td>{entry.target ?? ''}</td>
            <td>{entry.detail ? <code>{JSON.stringify(entry.detail)}</code> : null}</td>
          </tr>
        ))}
      </DataTable>
      <Pager
        firstHref={props.isFirstPage ? undefined : '/ui/admin/audit'}
        firstText="Newest"
        nextHref={props.olderBefore === undefined ? undefined : `/ui/admin/audit?before=${props.olderBefore}`}
        nextText="Older"
      />
    </Layout>
  );
}
