import { type Context, Hono } from 'hono';
import { ApiError } from '../../http/api-error.js';
import { problemsCsv, readCsvFile, readCsvPreview } from '../../imports/import-csv.js';
import type { ImportJobs } from '../../imports/import-jobs.js';
import { mappingProblem, suggestMapping } from '../../imports/import-rows.js';
import { can } from '../../users/roles.js';
import type { AuditLog } from '../../users/user-store.js';
import { auditFromUi } from '../audit-actor.js';
import { assertPermission } from '../permission.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { mappingFromForm, settingsFromForm } from './import-mapping.js';
import { ImportStatusPage } from './import-status-page.js';
import { ImportsPage, MappingPage, type MappingView } from './import-views.js';
import { createPendingUploads, type PendingUpload } from './pending-uploads.js';

export interface ImportPagesDeps {
  /** The API's own (app.ts): one import at a time, whichever started it. */
  readonly jobs: ImportJobs;
  readonly audit: AuditLog;
  readonly now: () => number;
}

/** CSV import from the browser: upload, preview and mapping, start, progress, the refused rows. */
export function createImportPages(deps: ImportPagesDeps): Hono<UiEnv> {
  const { jobs } = deps;
  const uploads = createPendingUploads(deps.now);
  const routes = new Hono<UiEnv>();
  const frame = (c: Context<UiEnv>, title: string) => ({
    title,
    section: 'imports' as const,
    viewer: viewerOf(c),
    notice: noticeOf(c),
  });
  const showImports = async (c: Context<UiEnv>, error?: string) =>
    renderPage(
      c,
      <ImportsPage
        {...frame(c, 'Imports')}
        jobs={await jobs.list()}
        session={can(c.get('user').role, 'edit') ? c.get('session') : undefined}
        error={error}
      />,
      error ? 400 : 200,
    );
  /** The mapping form over the upload's first lines; `chosen` when a start was refused, so choices are kept. */
  const showMapping = (
    c: Context<UiEnv>,
    token: string,
    upload: PendingUpload,
    chosen?: Pick<MappingView, 'mapping' | 'key' | 'mode'> & { error: string; status: 400 | 409 },
  ) => {
    const { columns, lines } = readCsvPreview(upload.text);
    const view = chosen ?? { mapping: suggestMapping(columns), key: 'email' as const, mode: 'upsert' as const };
    return renderPage(
      c,
      <MappingPage
        {...frame(c, `Import ${upload.fileName}`)}
        session={c.get('session')}
        token={token}
        fileName={upload.fileName}
        columns={columns}
        rows={lines.map((line) => line.cells)}
        {...view}
      />,
      chosen?.status ?? 200,
    );
  };

  routes.get('/imports', (c) => showImports(c));

  routes.post('/imports/preview', async (c) => {
    assertPermission(c, 'edit');
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) return showImports(c, 'Choose a CSV file to import.');
    const upload = { fileName: file.name || 'upload.csv', text: await file.text() };
    try {
      // Parsed here once, so that a file that is not CSV is said now, on the upload form.
      readCsvPreview(upload.text);
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      return showImports(c, `${upload.fileName}: ${failure.message}`);
    }
    return showMapping(c, uploads.put(c.get('user').id, upload), upload);
  });

  routes.post('/imports/start', async (c) => {
    assertPermission(c, 'edit');
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const upload = uploads.get(c.get('user').id, token);
    if (!upload) return showImports(c, 'The file uploaded is no longer kept (30 minutes at most): upload it again.');
    const settings = settingsFromForm(form);
    if (!settings.ok) throw new UiError(400, settings.message);
    let parsed: Awaited<ReturnType<typeof readCsvFile>>;
    try {
      parsed = await readCsvFile(upload.text);
    } catch (failure) {
      // A fault past the lines the preview read: the file needs mending, so it is let go.
      if (!(failure instanceof ApiError)) throw failure;
      uploads.remove(token);
      return showImports(c, `${upload.fileName}: ${failure.message}`);
    }
    const { columns, lines } = parsed;
    const mapping = mappingFromForm(form, columns);
    const chosen = { mapping, key: settings.key, mode: settings.mode };
    const running = jobs.running();
    if (running) {
      const error = `Import ${running.id} is still running; one runs at a time. Start this one when it is done.`;
      return showMapping(c, token, upload, { ...chosen, error, status: 409 });
    }
    const problem = mappingProblem(mapping, columns, settings.key);
    if (problem) return showMapping(c, token, upload, { ...chosen, error: problem, status: 400 });
    const job = await jobs.start(columns, lines, { ...chosen, fileName: upload.fileName });
    uploads.remove(token);
    await auditFromUi(deps.audit, c, {
      action: 'import.started',
      target: job.id,
      detail: { fileName: upload.fileName, rows: lines.length, key: settings.key, mode: settings.mode },
    });
    return redirectDone(c, `/ui/imports/${encodeURIComponent(job.id)}`, 'import_started');
  });

  const found = async (id: string) => {
    const job = await jobs.get(id);
    if (!job) throw new UiError(404, 'No import has the id in this address (the last 50 imports are kept).');
    return job;
  };

  routes.get('/imports/:id', async (c) => {
    const job = await found(c.req.param('id'));
    return renderPage(
      c,
      <ImportStatusPage {...frame(c, `Import ${job.id}`)} job={job} mayDownload={can(c.get('user').role, 'edit')} />,
    );
  });

  // The refused rows leave the server with their cells: an export, so a member's (users/roles.ts).
  routes.get('/imports/:id/problems.csv', async (c) => {
    assertPermission(c, 'edit');
    const job = await found(c.req.param('id'));
    const csv = problemsCsv(job);
    await auditFromUi(deps.audit, c, {
      action: 'import.problems_exported',
      target: job.id,
      detail: { rows: job.problemCount },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${csv.fileName}"`);
    return c.body(csv.text, 200);
  });

  return routes;
}
