import { randomBytes } from 'node:crypto';
import type { ContactImports } from '../contacts/contact-store.js';
import { blockedReason, type IdentityRules, limitOf } from '../identity/identity-rules.js';
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

/**
 * Imports running in the background of this process: rows written a slice per transaction, with
 * a turn of the event loop between slices, so requests go on being answered. Kept in memory (the
 * last `keep`): an import a restart cuts off is not resumed; run it again (rows already written
 * are unchanged or updated, never doubled, since each finds its contact by its key).
 */
export function createImportJobs(deps: {
  readonly imports: ContactImports;
  readonly rules: IdentityRules;
  readonly lifecycleStages: readonly string[];
  readonly now: () => number;
  readonly sliceRows?: number;
  readonly keep?: number;
}) {
  const jobs = new Map<string, ImportJob>();
  const sliceRows = deps.sliceRows ?? 200;

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
    /** An import running already, if any: one at a time (each holds its whole file in memory). */
    running: () => [...jobs.values()].find((job) => job.status === 'running'),
    start(columns: readonly string[], lines: readonly CsvLine[], settings: ImportSettings): ImportJob {
      const job: ImportJob = {
        id: `imp_${randomBytes(8).toString('hex')}`,
        status: 'running',
        key: settings.key,
        mode: settings.mode,
        columns,
        fileName: settings.fileName ?? null,
        total: lines.length,
        processed: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        problems: [],
        problemCount: 0,
        startedAt: deps.now(),
        finishedAt: null,
        failure: null,
      };
      jobs.set(job.id, job);
      for (const old of [...jobs.keys()].slice(0, Math.max(0, jobs.size - (deps.keep ?? 50)))) jobs.delete(old);
      void run(job, lines, settings).then(
        () => {
          job.status = 'done';
          job.finishedAt = deps.now();
        },
        (error: unknown) => {
          job.status = 'failed';
          job.failure = error instanceof Error ? error.message : String(error);
          job.finishedAt = deps.now();
        },
      );
      return job;
    },
    get: (id: string) => jobs.get(id),
    /** The imports kept, newest first. */
    list: (): ImportJob[] => [...jobs.values()].reverse(),
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
