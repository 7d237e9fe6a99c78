import { randomBytes } from 'node:crypto';
import type { ContactImports } from '../contacts/contact-store.js';
import { blockedReason, type IdentityRules, limitOf } from '../identity/identity-rules.js';
import type { ImportJobStore, StoredImportJob } from './import-job-store.js';
import { type ImportKey, type ImportMode, type ImportRow, rowFrom } from './import-rows.js';

/** One line of the file: its number and its cells. */
export interface CsvLine {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface ImportProblem {
  readonly line: number;
  readonly message: string;
  readonly cells: readonly string[];
}

export interface ImportJob {
  readonly id: string;
  status: 'running' | 'done' | 'failed';
  readonly key: ImportKey;
  readonly mode: ImportMode;
  readonly columns: readonly string[];
  /** The uploaded file's name, when it came with one (the web UI's form). */
  readonly fileName: string | null;
  readonly total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Each row refused, with its line and why (the first 10,000). */
  readonly problems: ImportProblem[];
  problemCount: number;
  readonly startedAt: number;
  finishedAt: number | null;
  failure: string | null;
}

export interface ImportSettings {
  readonly key: ImportKey;
  readonly mode: ImportMode;
  readonly mapping: Readonly<Record<string, string>>;
  readonly fileName?: string | undefined;
}

const MAX_PROBLEMS_KEPT = 10_000;

/** An import as it starts: nothing processed yet. */
export function newImportJob(
  id: string,
  columns: readonly string[],
  total: number,
  settings: Pick<ImportSettings, 'key' | 'mode' | 'fileName'>,
  startedAt: number,
): ImportJob {
  return {
    id,
    status: 'running',
    key: settings.key,
    mode: settings.mode,
    columns,
    fileName: settings.fileName ?? null,
    total,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    problems: [],
    problemCount: 0,
    startedAt,
    finishedAt: null,
    failure: null,
  };
}

/** A running import whose server has not written it for this long was cut off (a crash, a kill). */
export const staleImportMs = 60_000;

/**
 * Imports running in the background of this process: rows written a slice per transaction, with
 * a turn of the event loop between slices, so requests go on being answered. Each is written
 * through to the store after every slice (the last `keep` are kept), so any server behind a load
 * balancer answers for it; its refused rows reach the store at its start and end, and its own server
 * shows them as they come. An import a restart cuts off is not resumed, and shows as failed once it
 * is stale; run it again (rows already written are unchanged or updated, never doubled, since each
 * finds its contact by its key).
 */
export function createImportJobs(deps: {
  readonly imports: ContactImports;
  readonly store: ImportJobStore;
  readonly rules: IdentityRules;
  readonly lifecycleStages: readonly string[];
  readonly now: () => number;
  readonly sliceRows?: number;
  readonly keep?: number;
}) {
  const jobs = new Map<string, ImportJob>();
  const sliceRows = deps.sliceRows ?? 200;
  const keep = deps.keep ?? 50;
  const save = (job: ImportJob, withProblems: boolean) =>
    deps.store.save(job, { heartbeatAt: deps.now(), withProblems, keep });

  /** A job another server runs, or ran: as stored, a running one cut off shown as failed. */
  function fromStore(stored: StoredImportJob): ImportJob {
    const { job } = stored;
    if (job.status !== 'running' || deps.now() - stored.heartbeatAt < staleImportMs) return job;
    return {
      ...job,
      status: 'failed',
      failure: 'the server running it stopped before it finished: run it again',
      finishedAt: stored.heartbeatAt,
    };
  }

  async function run(job: ImportJob, lines: readonly CsvLine[], settings: ImportSettings): Promise<void> {
    for (let start = 0; start < lines.length; start += sliceRows) {
      // A slice's refusals, from its checks and from the store, kept in line order.
      const refused: ImportProblem[] = [];
      const refuse = (line: CsvLine, message: string) => refused.push({ line: line.line, message, cells: line.cells });
      const slice = lines.slice(start, start + sliceRows);
      const rows: ImportRow[] = [];
      const lineOf = new Map<number, CsvLine>();
      for (const line of slice) {
        const checked = checkLine(line, job, settings);
        if (!checked.ok) refuse(line, checked.message);
        else {
          rows.push(checked.row);
          lineOf.set(checked.row.line, line);
        }
      }
      const outcomes = await deps.imports.importRows(rows, {
        key: job.key,
        mode: job.mode,
        importId: job.id,
        limitOf: (type) => limitOf(deps.rules, type),
        maxIdentifiers: deps.rules.maxIdentifiersPerProfile,
      });
      outcomes.forEach((outcome, index) => {
        const row = rows[index] as ImportRow;
        if (typeof outcome === 'object') refuse(lineOf.get(row.line) as CsvLine, outcome.error);
        else job[outcome]++;
      });
      refused.sort((a, b) => a.line - b.line);
      job.problemCount += refused.length;
      job.problems.push(...refused.slice(0, Math.max(0, MAX_PROBLEMS_KEPT - job.problems.length)));
      job.processed += slice.length;
      // A progress write that fails costs the other servers a fresh view, not the import.
      await save(job, false).catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function checkLine(line: CsvLine, job: ImportJob, settings: ImportSettings) {
    if (line.cells.length !== job.columns.length) {
      return {
        ok: false as const,
        message: `the line has ${line.cells.length} cells, the header ${job.columns.length}`,
      };
    }
    const values = Object.fromEntries(job.columns.map((column, index) => [column, line.cells[index]]));
    const checked = rowFrom(values, line.line, {
      ...settings,
      importAt: job.startedAt,
      lifecycleStages: deps.lifecycleStages,
    });
    if (!checked.ok) return checked;
    for (const [name, value] of [
      ['email', checked.row.email],
      ['userId', checked.row.userId],
    ] as const) {
      const blocked = value === undefined ? undefined : blockedReason(value, deps.rules);
      if (blocked) return { ok: false as const, message: `${name}: not usable as an identifier (${blocked})` };
    }
    return checked;
  }

  return {
    /** An import running already on this server, if any: one at a time (each holds its whole file in memory). */
    running: () => [...jobs.values()].find((job) => job.status === 'running'),
    async start(columns: readonly string[], lines: readonly CsvLine[], settings: ImportSettings): Promise<ImportJob> {
      const job = newImportJob(`imp_${randomBytes(8).toString('hex')}`, columns, lines.length, settings, deps.now());
      await save(job, true);
      jobs.set(job.id, job);
      void run(job, lines, settings)
        .then(
          () => {
            job.status = 'done';
          },
          (error: unknown) => {
            job.status = 'failed';
            job.failure = error instanceof Error ? error.message : String(error);
          },
        )
        .then(async () => {
          job.finishedAt = deps.now();
          await save(job, true);
          jobs.delete(job.id);
        })
        // The store cannot be written: this server still answers for the job, the others see it stale.
        .catch(() => undefined);
      return job;
    },
    /** This server's running job as it stands, else the stored one. */
    async get(id: string): Promise<ImportJob | undefined> {
      const local = jobs.get(id);
      if (local) return local;
      const stored = await deps.store.get(id);
      return stored ? fromStore(stored) : undefined;
    },
    /** The imports kept, newest first. */
    async list(): Promise<ImportJob[]> {
      return (await deps.store.list(keep)).map((stored) => jobs.get(stored.job.id) ?? fromStore(stored));
    },
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
