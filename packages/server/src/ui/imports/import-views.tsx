import type { ImportJob } from '../../imports/import-jobs.js';
import type { ImportKey, ImportMode } from '../../imports/import-rows.js';
import type { Session } from '../../users/user-store.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { keyLabels, modeLabels, targetChoices, targetField } from './import-mapping.js';

export const statusLabels: Record<ImportJob['status'], string> = { running: 'Running', done: 'Done', failed: 'Failed' };

export function ImportsPage(
  props: PageFrame & {
    readonly jobs: readonly ImportJob[];
    /** Absent for a viewer, who may look but not import. */
    readonly session: Session | undefined;
    readonly error?: string | undefined;
  },
) {
  return (
    <Layout {...props}>
      <h1>Imports</h1>
      <h2>Import contacts from CSV</h2>
      <ErrorBox message={props.error} />
      {props.session ? (
        <form method="post" action="/ui/imports/preview" enctype="multipart/form-data" class="stack">
          <CsrfField session={props.session} />
          <div class="field">
            <label for="import-file">CSV file (a header line, then one contact a line)</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <button class="primary" type="submit">
            Preview
          </button>
        </form>
      ) : (
        <p class="muted">Your role (viewer) can look at imports but not start one.</p>
      )}
      <h2>Recent imports</h2>
      <DataTable
        caption="Recent imports, newest first"
        columns={['Import', 'File', 'Status', 'Rows', 'Failed', 'Started']}
        rowCount={props.jobs.length}
        emptyMessage="No imports since the server started."
      >
        {props.jobs.map((job) => (
          <tr>
            <td>
              <a href={`/ui/imports/${encodeURIComponent(job.id)}`}>{job.id}</a>
            </td>
            <td>{job.fileName ?? '(through the API)'}</td>
            <td>{statusLabels[job.status]}</td>
            <td>{`${job.processed} of ${job.total}`}</td>
            <td>{String(job.problemCount)}</td>
            <td>{formatTime(job.startedAt)}</td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

export interface MappingView {
  readonly session: Session;
  readonly token: string;
  readonly fileName: string;
  readonly columns: readonly string[];
  /** The first lines' cells. */
  readonly rows: readonly (readonly string[])[];
  readonly mapping: Readonly<Record<string, string>>;
  readonly key: ImportKey;
  readonly mode: ImportMode;
  readonly error?: string | undefined;
}

export function MappingPage(props: PageFrame & MappingView) {
  const { columns } = props;
  return (
    <Layout {...props}>
      <p>
        <a href="/ui/imports">Upload another file</a>
      </p>
      <h1>Import {props.fileName}</h1>
      <ErrorBox message={props.error} />
      <h2>First rows</h2>
      <DataTable caption={`The first rows of ${props.fileName}`} columns={columns}>
        {props.rows.map((cells) => (
          <tr>
            {columns.map((_, index) => (
              <td>{cells[index] ?? ''}</td>
            ))}
          </tr>
        ))}
      </DataTable>
      <h2>Where each column goes</h2>
      <form method="post" action="/ui/imports/start" class="stack">
        <CsrfField session={props.session} />
        <input type="hidden" name="token" value={props.token} />
        {columns.map((column, index) => (
          <div class="field">
            <label for={targetField(index)}>{`Column “${column}”`}</label>
            <select id={targetField(index)} name={targetField(index)}>
              {targetChoices(column).map((choice) => (
                <option value={choice.value} selected={props.mapping[column] === choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div class="field">
          <label for="import-key">Find each contact by</label>
          <select id="import-key" name="key">
            {Object.entries(keyLabels).map(([key, label]) => (
              <option value={key} selected={props.key === key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>When a contact exists</legend>
          {Object.entries(modeLabels).map(([mode, label]) => (
            <label>
              <input type="radio" name="mode" value={mode} checked={props.mode === mode} /> {label}
            </label>
          ))}
        </fieldset>
        <button class="primary" type="submit">
          Start import
        </button>
      </form>
    </Layout>
  );
}
