/**
 * Sends all bench batches to a running server over `connections` keep-alive connections and
 * prints JSON: elapsed time, events/s and request latency percentiles.
 */

import { createBatchPoster } from './batch-poster.js';
import { batchesOf, totalEventsOf, type Workload } from './bench-events.js';

const [url, connectionsArg, workloadArg] = process.argv.slice(2);
if (!url) throw new Error('usage: load-generator.ts <server url> [connections] [plain|people]');
const workload = (workloadArg ?? 'plain') as Workload;
const totalEvents = totalEventsOf(workload);
const connections = Number(connectionsArg ?? 8);

// Bodies are built before the clock starts, so the load side measures the server, not JSON.stringify.
const sentAt = new Date().toISOString();
const bodies = batchesOf(workload, sentAt).map((body) => Buffer.from(JSON.stringify(body)));
const poster = createBatchPoster(url, connections);

const latencies: number[] = [];
let next = 0;
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as Buffer;
      const { status, ms } = await poster.post(body);
      latencies.push(ms);
      if (status !== 200) failures += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
poster.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, failures, seconds, eventsPerSecond: totalEvents / seconds, p50Ms: pct(50), p99Ms: pct(99) })}\n`,
);
