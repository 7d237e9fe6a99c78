/**
 * Sends all bench batches to a running server over `connections` keep-alive connections and
 * prints JSON: elapsed time, events/s and request latency percentiles.
 */
import { Agent, request } from 'node:http';
import { batchesOf, benchWriteKey, totalEventsOf, type Workload } from './bench-events.js';

const [url, connectionsArg, workloadArg] = process.argv.slice(2);
if (!url) throw new Error('usage: load-generator.ts <server url> [connections] [plain|people]');
const workload = (workloadArg ?? 'plain') as Workload;
const totalEvents = totalEventsOf(workload);
const connections = Number(connectionsArg ?? 8);
const target = new URL('/v1/batch', url);
const auth = `Basic ${Buffer.from(`${benchWriteKey}:`).toString('base64')}`;

// Bodies are built before the clock starts, so the load side measures the server, not JSON.stringify.
const sentAt = new Date().toISOString();
const bodies = batchesOf(workload, sentAt).map((body) => Buffer.from(JSON.stringify(body)));
const agent = new Agent({ keepAlive: true, maxSockets: connections });

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'Content-Length': body.byteLength },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let next = 0;
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as Buffer;
      const t0 = performance.now();
      const status = await post(body);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, failures, seconds, eventsPerSecond: totalEvents / seconds, p50Ms: pct(50), p99Ms: pct(99) })}\n`,
);
