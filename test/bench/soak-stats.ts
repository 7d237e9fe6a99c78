/** What one interval of a soak run measured, and how the first and last intervals compare. */
export interface IntervalFigures {
  readonly endSeconds: number;
  readonly eventsPerSecond: number;
  readonly readsPerSecond: number;
  readonly ingestP99Ms: number;
  readonly readP99Ms: number;
  readonly rssMb: number;
  readonly dbMb: number;
  readonly errors: number;
}

export interface IntervalRecorder {
  ingest(latencyMs: number, events: number, ok: boolean): void;
  read(latencyMs: number, ok: boolean): void;
  /** Closes the interval: its figures, and a fresh start for the next one. */
  close(input: { endSeconds: number; seconds: number; rssMb: number; dbMb: number }): IntervalFigures;
}

export function createIntervalRecorder(): IntervalRecorder {
  let ingestLatencies: number[] = [];
  let readLatencies: number[] = [];
  let events = 0;
  let errors = 0;
  return {
    ingest(latencyMs, count, ok) {
      ingestLatencies.push(latencyMs);
      if (ok) events += count;
      else errors += 1;
    },
    read(latencyMs, ok) {
      readLatencies.push(latencyMs);
      if (!ok) errors += 1;
    },
    close({ endSeconds, seconds, rssMb, dbMb }) {
      const figures = {
        endSeconds,
        eventsPerSecond: events / seconds,
        readsPerSecond: readLatencies.length / seconds,
        ingestP99Ms: percentile(ingestLatencies, 99),
        readP99Ms: percentile(readLatencies, 99),
        rssMb,
        dbMb,
        errors,
      };
      ingestLatencies = [];
      readLatencies = [];
      events = 0;
      errors = 0;
      return figures;
    },
  };
}

/** Nearest-rank percentile; 0 for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export const intervalHeader =
  '   t (s) | events/s | reads/s | ingest p99 (ms) | read p99 (ms) | anon RSS (MB) | db+wal (MB) | errors';

export function formatInterval(f: IntervalFigures): string {
  const cell = (value: number, width: number, digits = 0) =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).padStart(width);
  return [
    cell(f.endSeconds, 8),
    cell(f.eventsPerSecond, 8),
    cell(f.readsPerSecond, 7),
    cell(f.ingestP99Ms, 15, 1),
    cell(f.readP99Ms, 13, 1),
    cell(f.rssMb, 13, 1),
    cell(f.dbMb, 11, 1),
    cell(f.errors, 6),
  ].join(' | ');
}

/** last ÷ first for each figure a leak or a slowdown would move; 1.00× is flat. */
export function trendOf(intervals: readonly IntervalFigures[]): Record<string, string> | undefined {
  const first = intervals[0];
  const last = intervals.at(-1);
  if (!first || !last || intervals.length < 2) return undefined;
  const ratio = (a: number, b: number) => (a === 0 ? 'n/a' : `${(b / a).toFixed(2)}×`);
  return {
    'events/s': ratio(first.eventsPerSecond, last.eventsPerSecond),
    'ingest p99': ratio(first.ingestP99Ms, last.ingestP99Ms),
    'read p99': ratio(first.readP99Ms, last.readP99Ms),
    RSS: ratio(first.rssMb, last.rssMb),
  };
}
