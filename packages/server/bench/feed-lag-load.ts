/**
 * Open-loop load for the feed-lag measure: `rate` events/s for `seconds`, as batches of 20 sent on
 * the clock (every 10 ms at 2,000 events/s), whatever the answers' pace; new people who identify
 * with an email, then track. Prints JSON: events sent, non-200 answers, request latency p50/p99.
 */
import { randomUUID } from 'node:crypto';
import { createBatchPoster } from './batch-poster.js';

const [url, rateArg, secondsArg, prefixArg] = process.argv.slice(2);
/** Distinct per run, so that two runs against one database create new people each time. */
const prefix = prefixArg ?? 'lag';
if (!url) throw new Error('usage: feed-lag-load.ts <server url> [events/s] [seconds]');
const rate = Number(rateArg ?? 2000);
const seconds = Number(secondsArg ?? 15);
const perBatch = 20;
const everyMs = (perBatch / rate) * 1000;
const poster = createBatchPoster(url, 16);

let person = 0;
function nextBatch(): Buffer {
  const events = [];
  for (let i = 0; i < perBatch; i += 2) {
    const userId = `${prefix}-${person++}`;
    const traits = { email: `${userId}@example.com`, plan: 'pro' };
    events.push({ type: 'identify', messageId: randomUUID(), userId, traits });
    events.push({ type: 'track', messageId: randomUUID(), userId, event: 'Viewed', properties: { n: i } });
  }
  return Buffer.from(JSON.stringify({ batch: events }));
}

const pending: Promise<{ status: number; ms: number }>[] = [];
const started = performance.now();
const batches = Math.round((seconds * 1000) / everyMs);
for (let n = 0; n < batches; n++) {
  const due = started + n * everyMs;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  pending.push(poster.post(nextBatch()));
}
const answers = await Promise.all(pending);
poster.close();
const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const failures = answers.filter((answer) => answer.status !== 200).length;
process.stdout.write(`${JSON.stringify({ events: batches * perBatch, failures, p50Ms: pct(50), p99Ms: pct(99) })}\n`);
