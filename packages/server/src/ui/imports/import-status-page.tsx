import type { ImportJob } from '../../imports/import-jobs.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { ErrorBox, Layout, type PageFrame } from '../layout.js';
import { keyLabels, modeLabels } from './import-mapping.js';
import { statusLabels } from './import-views.js';

// The problems a page lists; problems.csv holds them all.
const problemsShown = 100;

export function ImportStatusPage(props: PageFrame & { readonly job: ImportJob; readonly mayDownload: boolean }) {
  const { job } = props;
  const href = `/ui/imports/${encodeURIComponent(job.id)}`;
  return (
    <Layout {...props}>
      <p>
        <a href="/ui/imports">All imports</a>
      </p>
      <h1>Import {job.id}</h1>
      {/* While it runs the script reads the page again each second and swaps this region (no reload:
          a timed refresh would fail WCAG 2.2.1); without script, the link below does it. */}
      <div id="import-progress" data-poll={job.status === 'running' ? '1000' : undefined}>
        <p role="status">
          {statusLabels[job.status]}: {`${job.processed} of ${job.total} rows`}
          {job.status === 'running' ? (
            <>
              {' '}
              (<a href={href}>reload to follow it</a>)
            </>
          ) : null}
        </p>
        <ErrorBox message={job.failure ?? undefined} />
        <dl class="facts">
          <dt>File</dt>
          <dd>{job.fileName ?? '(through the API)'}</dd>
          <dt>Found by</dt>
          <dd>{keyLabels[job.key]}</dd>
          <dt>Existing contacts</dt>
          <dd>{modeLabels[job.mode]}</dd>
          <dt>Created</dt>
          <dd>{String(job.created)}</dd>
          <dt>Updated</dt>
          <dd>{String(job.updated)}</dd>
          <dt>Unchanged</dt>
          <dd>{String(job.unchanged)}</dd>
          <dt>Failed</dt>
          <dd>{String(job.problemCount)}</dd>
          <dt>Started</dt>
          <dd>{formatTime(job.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(job.finishedAt)}</dd>
        </dl>
        <h2>Rows refused</h2>
        {job.problemCount === 0 ? (
          <p class="muted">None{job.status === 'running' ? ' so far' : ''}.</p>
        ) : (
          <>
            <p>
              {job.problemCount > problemsShown ? `The first ${problemsShown} of ${job.problemCount}. ` : ''}
              {props.mayDownload ? (
                <a class="button" href={`${href}/problems.csv`}>
                  Download the refused rows (CSV)
                </a>
              ) : null}
            </p>
            <DataTable caption="Rows refused, by line" columns={['Line', 'Why']}>
              {job.problems.slice(0, problemsShown).map((problem) => (
                <tr>
                  <td>{String(problem.line)}</td>
                  <td>{problem.message}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </div>
    </Layout>
  );
}
