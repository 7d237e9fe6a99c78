import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AdminGuard } from '../auth/admin-guard.js';
import { errorSchema } from '../contacts/contact-schemas.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { serveDescribedRoute } from '../http/described-route.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { auditFromApi } from '../users/audit-actors.js';
import type { AuditLog } from '../users/user-store.js';
import { MAX_FILE_BYTES, problemsCsv, readCsvFile, readCsvPreview } from './import-csv.js';
import type { ImportJob, ImportJobs } from './import-jobs.js';
import { importTargets, mappingProblem, suggestMapping } from './import-rows.js';

export interface ImportRouteDeps {
  readonly jobs: ImportJobs;
  readonly admin: AdminGuard;
  /** Each import started is recorded (actor `admin token`). */
  readonly audit: Pick<AuditLog, 'record'>;
}

const csvBody = { body: { required: true, content: { 'text/csv': { schema: z.string() } } } };
const common = { tags: ['Imports'], security: adminSecurity };

const jobSchema = z
  .object({
    id: z.string().openapi({ example: 'imp_5f2a9c0e1b7d3a4c' }),
    status: z.enum(['running', 'done', 'failed']),
    key: z.enum(['email', 'userId']),
    mode: z.enum(['upsert', 'fillEmpty']),
    rows: z.object({
      total: z.number().int(),
      processed: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      failed: z.number().int(),
    }),
    problems: z
      .array(z.object({ line: z.number().int(), message: z.string() }))
      .openapi({ description: 'The first 100 rows refused; all of them in /problems.csv' }),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    failure: z.string().nullable(),
  })
  .openapi('Import');

const importQuery = z.object({
  key: z.enum(['email', 'userId']).default('email').openapi({ description: 'What finds an existing contact' }),
  mode: z.enum(['upsert', 'fillEmpty']).default('upsert').openapi({
    description: 'upsert: values stamped with the row’s time, newest wins; fillEmpty: only fields still empty',
  }),
  mapping: z
    .string()
    .max(50_000)
    .optional()
    .openapi({
      description: `JSON {column: target}; targets ${importTargets.join(', ')}, trait:<name>. Default: the suggested mapping`,
    }),
});

export const previewRoute = createRoute({
  ...common,
  method: 'post',
  path: '/imports/preview',
  summary: 'The file’s columns, first rows and a suggested mapping; nothing is written',
  request: csvBody,
  responses: {
    200: json(
      z.object({
        columns: z.array(z.string()),
        rows: z.array(z.array(z.string())),
        suggestedMapping: z.record(z.string(), z.string()),
      }),
      'The preview',
    ),
    ...adminRefusals(true),
  },
});

export const startImportRoute = createRoute({
  ...common,
  method: 'post',
  path: '/imports',
  summary: 'Imports contacts from CSV in the background: each row finds its contact by key, or makes one',
  request: { query: importQuery, ...csvBody },
  responses: {
    202: json(jobSchema, 'The import, running'),
    ...adminRefusals(true),
    409: json(errorSchema, 'Another import is still running'),
  },
});

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const getImportRoute = createRoute({
  ...common,
  method: 'get',
  path: '/imports/{id}',
  summary: 'An import’s progress and the rows it refused, by line',
  request: { params: idParam },
  responses: { 200: json(jobSchema, 'The import'), ...adminRefusals(false), 404: json(errorSchema, 'No such import') },
});

export const problemsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/imports/{id}/problems.csv',
  summary: 'The rows an import refused, as CSV: their cells, then line and error',
  request: { params: idParam },
  responses: {
    200: { content: { 'text/csv': { schema: z.string() } }, description: 'The rows' },
    ...adminRefusals(false),
    404: json(errorSchema, 'No such import'),
  },
});

/** CSV import over the API (issue #19): preview, start, progress, the refused rows as CSV. */
export function createImportRoutes(deps: ImportRouteDeps): OpenAPIHono<AppEnv> {
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/imports', '/imports/*']);
  const limit = bodyLimit({
    maxSize: MAX_FILE_BYTES,
    onError: () => {
      throw new ApiError(413, 'body_too_large', `the file is over ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    },
  });
  routes.use('/imports', limit);
  routes.use('/imports/preview', limit);
  const found = async (id: string) => {
    const job = await deps.jobs.get(id);
    if (!job) throw new ApiError(404, 'import_not_found', `no import has id ${id} (the last 50 are kept)`);
    return job;
  };

  serveDescribedRoute(routes, previewRoute, async (c) => {
    const { columns, lines } = readCsvPreview(await c.req.text());
    return c.json(
      {
        columns,
        rows: lines.map((line) => line.cells),
        suggestedMapping: suggestMapping(columns),
      },
      200,
    );
  });

  serveDescribedRoute(routes, startImportRoute, async (c) => {
    const query = importQuery.safeParse(c.req.query());
    if (!query.success) throw new ApiError(400, 'invalid_request', 'key: email or userId; mode: upsert or fillEmpty');
    // Before the file is read: each import holds its whole file in memory while it runs.
    const running = deps.jobs.running();
    if (running) {
      throw new ApiError(409, 'import_running', `import ${running.id} is still running; one runs at a time`);
    }
    const { columns, lines } = await readCsvFile(await c.req.text());
    let mapping: Record<string, string> = suggestMapping(columns);
    if (query.data.mapping !== undefined) {
      try {
        mapping = JSON.parse(query.data.mapping) as Record<string, string>;
      } catch {
        throw new ApiError(400, 'invalid_request', 'mapping: not JSON');
      }
      if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
        throw new ApiError(400, 'invalid_request', 'mapping: a JSON object {column: target}');
      }
      for (const [column, target] of Object.entries(mapping)) {
        if (typeof target !== 'string') {
          throw new ApiError(400, 'invalid_request', `mapping: the target of "${column}" must be a string`);
        }
      }
    }
    const problem = mappingProblem(mapping, columns, query.data.key);
    if (problem) throw new ApiError(400, 'invalid_request', problem);
    const job = await deps.jobs.start(columns, lines, { ...query.data, mapping });
    await auditFromApi(deps.audit, {
      action: 'import.started',
      target: job.id,
      detail: { key: query.data.key, mode: query.data.mode, rows: lines.length },
    });
    return c.json(toView(job), 202);
  });

  routes.openapi(getImportRoute, async (c) => c.json(toView(await found(c.req.valid('param').id)), 200));

  routes.openapi(problemsRoute, async (c) => {
    const job = await found(c.req.valid('param').id);
    const csv = problemsCsv(job);
    // The refused rows leave the server with their cells: an export like any other.
    await auditFromApi(deps.audit, {
      action: 'import.problems_exported',
      target: job.id,
      detail: { rows: job.problemCount },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${csv.fileName}"`);
    return c.body(csv.text, 200) as never;
  });

  return routes;
}

function toView(job: ImportJob) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: job.id,
    status: job.status,
    key: job.key,
    mode: job.mode,
    rows: {
      total: job.total,
      processed: job.processed,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      failed: job.problemCount,
    },
    problems: job.problems.slice(0, 100).map(({ line, message }) => ({ line, message })),
    startedAt: iso(job.startedAt) as string,
    finishedAt: iso(job.finishedAt),
    failure: job.failure,
  };
}
