import { parse as parseStream } from 'csv-parse';
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

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

const parseOptions = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;
// A slice of text the parser takes between turns of the event loop: ~15 ms of parsing here.
const sliceChars = 256 * 1024;

/** The header and the first lines, for a preview: a 50 MB file costs what a small one does. */
export function readCsvPreview(text: string): { columns: string[]; lines: CsvLine[] } {
  let records: ParsedRecord[];
  try {
    // CRLF as LF: csv-parse counts a CRLF inside a quoted cell as two lines.
    records = parse(text.replaceAll('\r\n', '\n'), {
      ...parseOptions,
      to: PREVIEW_RECORDS,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    throw asRefusal(error);
  }
  return linesOf(records);
}

/**
 * The header and every line of a whole file, numbered as a spreadsheet numbers them; a file that is
 * not CSV is a 400. Parsed with csv-parse's streaming parser a slice at a time, with a turn of the
 * event loop between slices: a 50 MB file takes seconds to parse, and ingest must not wait for it.
 */
export async function readCsvFile(text: string): Promise<{ columns: string[]; lines: CsvLine[] }> {
  let header: ParsedRecord | undefined;
  const lines: CsvLine[] = [];
  const parser = parseStream(parseOptions);
  // Each record becomes its line as it comes: no pass over the whole file at the end.
  parser.on('readable', () => {
    for (let read = parser.read(); read !== null; read = parser.read()) {
      const parsed = read as ParsedRecord;
      if (header === undefined) header = parsed;
      else lines.push(lineOf(parsed));
    }
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    // on, not once: ending a parser that failed may emit again.
    parser.on('error', reject);
  });
  // Caught at once, thrown below: a bad slice must not be an unhandled rejection while others are written.
  ended.catch(() => undefined);
  let pendingReturn = '';
  for (let at = 0; at < text.length && !parser.destroyed; at += sliceChars) {
    // CRLF as LF (see readCsvPreview); a CR that ends a slice waits for the next one's first character.
    const slice = (pendingReturn + text.slice(at, at + sliceChars)).replaceAll('\r\n', '\n');
    pendingReturn = slice.endsWith('\r') && at + sliceChars < text.length ? '\r' : '';
    parser.write(pendingReturn ? slice.slice(0, -1) : slice);
    await new Promise((resolve) => setImmediate(resolve));
  }
  parser.end();
  try {
    await ended;
  } catch (error) {
    throw asRefusal(error);
  }
  return { columns: columnsOf(header), lines };
}

function asRefusal(error: unknown): unknown {
  return error instanceof CsvError
    ? new ApiError(400, 'invalid_request', `the file is not CSV: ${error.message}`)
    : error;
}

function linesOf(records: readonly ParsedRecord[]): { columns: string[]; lines: CsvLine[] } {
  const [header, ...rest] = records;
  return { columns: columnsOf(header), lines: rest.map(lineOf) };
}

function columnsOf(header: ParsedRecord | undefined): string[] {
  if (!header) throw new ApiError(400, 'invalid_request', 'the file is empty: a header line is needed');
  const columns = header.record.map((column) => column.trim());
  if (new Set(columns).size !== columns.length)
    throw new ApiError(400, 'invalid_request', 'the header names a column twice');
  return columns;
}

/** info.lines is where a record ends: a cell across lines moves its start back by its newlines. */
function lineOf({ record, info }: ParsedRecord): CsvLine {
  const newlines = record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
  return { line: info.lines - newlines, cells: record };
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
