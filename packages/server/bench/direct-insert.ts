/**
 * The ceiling: the rows the server would store for the same events, written straight into SQLite
 * with the same schema, pragmas and statement, in transactions of `rowsPerTransaction` (default:
 * one request's batch of 100). Prints JSON.
 */

import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { defaultIngestLimits } from '../src/ingest/limits.js';
import { createIngestPipeline } from '../src/ingest/pipeline.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import type { NewEvent } from '../src/storage/event-store.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
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

// A plain insert: no gate, no step, no change feed.
const store = createSqliteStore(openDatabase(dbPath), {
  pipeline: createIngestPipeline({ gates: [], steps: [] }),
  rules: DEFAULT_IDENTITY_RULES,
  now: Date.now,
  isChangeFeedOn: false,
}).events;
const started = performance.now();
for (let i = 0; i < rows.length; i += rowsPerTransaction)
  await store.insertEvents(rows.slice(i, i + rowsPerTransaction));
const seconds = (performance.now() - started) / 1000;
await store.close();
process.stdout.write(
  `${JSON.stringify({ events: totalEvents, rowsPerTransaction, seconds, eventsPerSecond: totalEvents / seconds })}\n`,
);
