import type { AuditEntry } from '../../users/user-store.js';
import { formatTime } from '../format.js';
import { Layout, type PageFrame } from '../layout.js';
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
      <div class="table-wrap" tabindex={0}>
        <table>
          <caption class="visually-hidden">Audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => (
              <tr>
                <td>{formatTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td>{entry.action}</td>
                <td>{entry.target ?? ''}</td>
                <td>{entry.detail ? <code>{JSON.stringify(entry.detail)}</code> : null}</td>
              </tr>
            ))}
            {props.entries.length === 0 ? (
              <tr>
                <td colspan={5} class="muted">
                  Nothing recorded{props.isFirstPage ? ' yet' : ' before this'}.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        {props.isFirstPage ? null : <a href="/ui/admin/audit">Newest</a>}
        {props.olderBefore !== undefined ? (
          <a href={`/ui/admin/audit?before=${props.olderBefore}`} rel="next">
            Older
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
