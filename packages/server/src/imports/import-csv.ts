import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../contacts/csv-export.js';
import { ApiError } from '../http/api-error.js';
import type { CsvLine, ImportJob } from './import-jobs.js';

/** The CSV side of an import, shared by the API and the web UI: reading an upload, writing the refused rows. */

// 50 MB: each running import holds its whole file in memory.
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Records a preview parses: the header and five lines, so a preview of a 50 MB file costs what a small one does. */
export const PREVIEW_RECORDS = 6;

/** The header and each line, numbered as a spreadsheet numbers them; a file that is not CSV is a 400. */
export function readCsv(text: string, toRecord?: number): { columns: string[]; lines: CsvLine[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // CRLF as LF: csv-parse counts a CRLF inside a quoted cell as two lines.
    records = parse(text.replaceAll('\r\n', '\n'), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      ...(toRecord === undefined ? {} : { to: toRecord }),
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new ApiError(400, 'invalid_request', `the file is not CSV: ${error.message}`);
    throw error;
  }
  const [header, ...rest] = records;
  if (!header) throw new ApiError(400, 'invalid_request', 'the file is empty: a header line is needed');
  const columns = header.record.map((column) => column.trim());
  if (new Set(columns).size !== columns.length)
    throw new ApiError(400, 'invalid_request', 'the header names a column twice');
  // info.lines is where a record ends: a cell across lines moves its start back by its newlines.
  const startOf = (record: string[], end: number) =>
    end - record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
  return { columns, lines: rest.map(({ record, info }) => ({ line: startOf(record, info.lines), cells: record })) };
}

/** The rows an import refused, as CSV: their cells, then line and error. */
export function problemsCsv(job: ImportJob): { readonly fileName: string; readonly text: string } {
  // Every row as wide as the widest: a short line is padded, a long one keeps its extra cells.
  const width = Math.max(job.columns.length, ...job.problems.map((problem) => problem.cells.length));
  const header = [...job.columns.map(csvCell), ...Array(width - job.columns.length).fill(''), 'line', 'error'];
  const rows = job.problems.map((problem) => [
    ...Array.from({ length: width }, (_, index) => csvCell(problem.cells[index] ?? '')),
    problem.line,
    csvCell(problem.message),
  ]);
  return { fileName: `${job.id}-problems.csv`, text: stringify([header, ...rows]) };
}
