/**
 * The ceiling: the rows the server would store for the same events, written straight into SQLite
 * with the same schema, pragmas and statement, in transactions of `rowsPerTransaction` (default:
 * one request's batch of 100). Prints JSON.
 */

import { defaultIngestLimits } from '../src/ingest/limits.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import type { NewEvent } from '../src/storage/event-store.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteEventStore } from '../src/storage/sqlite/sqlite-event-store.js';
import { batchesOf, batchSize, totalEventsOf, type Workload } from './bench-events.js';

const [dbPath, rowsArg, workloadArg] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: direct-insert.ts <db path> [rows per transaction] [plain|people]');
const rowsPerTransaction = Number(rowsArg ?? batchSize);
const workload = (workloadArg ?? 'plain') as Workload;
const totalEvents = totalEventsOf(workload);

const sentAt = new Date().toISOString();
const rows: NewEvent[] = [];
for (const body of batchesOf(workload, sentAt)) {
  const { batch } = body as { batch: unknown[] };
  const ctx = {
    source: 'default',
    writeKeyKind: 'server' as const,
    receivedAt: Date.now(),
    limits: defaultIngestLimits,
    envelope: { sentAt: Date.parse(sentAt) },
    newMessageId: () => 'unused',
  };
  for (const raw of batch) rows.push((prepareEvent(raw, ctx) as { ok: true; event: NewEvent }).event);
}

const store = createSqliteEventStore(openDatabase(dbPath));
const started = performance.now();
for (let i = 0; i < rows.length; i += rowsPerTransaction) store.insertEvents(rows.slice(i, i + rowsPerTransaction));
const seconds = (performance.now() - started) / 1000;
store.close();
process.stdout.write(
  `${JSON.stringify({ events: totalEvents, rowsPerTransaction, seconds, eventsPerSecond: totalEvents / seconds })}\n`,
);
