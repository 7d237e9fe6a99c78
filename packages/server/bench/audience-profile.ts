/** Temporary: in-process people ingest with or without the 50 bench audiences, for --cpu-prof. */
import { DEFAULT_IDENTITY_RULES } from '../src/identity/identity-rules.js';
import { defaultIngestLimits } from '../src/ingest/limits.js';
import { prepareEvent } from '../src/ingest/prepare-event.js';
import { createServerPipeline } from '../src/ingest/server-pipeline.js';
import { createMetrics } from '../src/ops/metrics.js';
import type { NewEvent } from '../src/storage/event-store.js';
import { openDatabase } from '../src/storage/sqlite/open-database.js';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { benchAudienceRules } from './audience-rules.js';
import { batchesOf } from './bench-events.js';

const [dbPath, withArg] = process.argv.slice(2);
const db = openDatabase(dbPath as string);
const metrics = createMetrics();
const store = createSqliteStore(db, {
  pipeline: createServerPipeline({ rules: DEFAULT_IDENTITY_RULES, counters: metrics }),
  rules: DEFAULT_IDENTITY_RULES,
  now: Date.now,
});
if (withArg === 'with') {
  const ids = new Map<string, string>();
  for (const { name, rule } of benchAudienceRules()) {
    const audience = await store.audiences.create({ name, rule: rule((other) => ids.get(other) as string) });
    ids.set(name, audience.id);
  }
  while (await store.audiences.backfillStep(2_000)) {}
}
const sentAt = new Date().toISOString();
const batches: NewEvent[][] = batchesOf('people', sentAt).map((body) =>
  (body as { batch: unknown[] }).batch.map(
    (raw) =>
      (
        prepareEvent(raw, {
          source: 'default',
          writeKeyKind: 'server',
          receivedAt: Date.now(),
          limits: defaultIngestLimits,
          envelope: { sentAt: Date.parse(sentAt) },
          newMessageId: () => 'unused',
        }) as { ok: true; event: NewEvent }
      ).event,
  ),
);
const started = performance.now();
let n = 0;
for (const batch of batches) {
  await store.events.insertEvents(batch);
  n += batch.length;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ with: withArg, events: n, seconds, perSecond: n / seconds }));
