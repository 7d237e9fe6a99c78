// One client run for `pnpm bench:node`, in a process of its own so each library's CPU and memory
// are its own: COUNT track calls through LIB (segment or weft), then closeAndFlush. FLUSH_AT and
// CONCURRENCY, when set, apply to both (Segment's requests are limited by a wrapping httpClient,
// since it has no option for it). Prints JSON: each call's median time, the time to the end of
// the flush, CPU time, and peak RSS above the RSS at start.
import { FetchHTTPClient, Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { Analytics as WeftAnalytics } from '@weft/node';

const lib = process.env.LIB ?? 'weft';
const count = Number(process.env.COUNT ?? 50_000);
const tag = process.env.RUN ?? 'run';
const flushAt = process.env.FLUSH_AT ? Number(process.env.FLUSH_AT) : undefined;
const concurrency = process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined;
const options = { writeKey: process.env.WRITE_KEY ?? 'wk_bench', host: process.env.HOST ?? '' };

interface Client {
  track(message: { userId: string; event: string; properties: Record<string, unknown> }): unknown;
  closeAndFlush(options: { timeout: number }): Promise<unknown>;
}

type HttpClient = Pick<InstanceType<typeof FetchHTTPClient>, 'makeRequest'>;

/** Segment's fetch client with at most `limit` requests in flight; the rest wait their turn. */
function limitedHttpClient(limit: number): HttpClient {
  const inner = new FetchHTTPClient();
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  return {
    async makeRequest(request) {
      if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight++;
      try {
        return await inner.makeRequest(request);
      } finally {
        inFlight--;
        waiting.shift()?.();
      }
    },
  };
}

let dropped = 0;
let analytics: Client;
if (lib === 'segment') {
  analytics = new SegmentAnalytics({
    ...options,
    ...(flushAt === undefined ? {} : { flushAt }),
    ...(concurrency === undefined ? {} : { httpClient: limitedHttpClient(concurrency) }),
  });
} else {
  const weft = new WeftAnalytics({
    ...options,
    ...(flushAt === undefined ? {} : { flushAt, maxEventsInBatch: flushAt }),
    ...(concurrency === undefined ? {} : { maxConcurrentRequests: concurrency }),
  });
  weft.on('dropped', (report) => (dropped += report.events.length));
  analytics = weft;
}

const callTimes = new Float64Array(count);
const startRss = process.memoryUsage.rss();
const startCpu = process.cpuUsage();
const started = performance.now();
for (let index = 0; index < count; index++) {
  const before = performance.now();
  analytics.track({
    userId: `${tag}-user-${index % 500}`,
    event: 'Product Viewed',
    properties: { sku: `sku-${index}`, price: 19.99, currency: 'EUR', tags: ['new', 'sale'] },
  });
  callTimes[index] = performance.now() - before;
}
const callsMs = performance.now() - started;
await analytics.closeAndFlush({ timeout: 600_000 });
const totalMs = performance.now() - started;
const cpu = process.cpuUsage(startCpu);
callTimes.sort();
const result = {
  lib,
  count,
  callsMs,
  totalMs,
  trackMedianUs: (callTimes[count >> 1] ?? 0) * 1000,
  cpuMs: (cpu.user + cpu.system) / 1000,
  // maxRSS is in kilobytes.
  peakRssAboveStartMb: (process.resourceUsage().maxRSS * 1024 - startRss) / 1024 / 1024,
  dropped,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
