// One client run for `pnpm bench:node`: COUNT track calls through LIB (segment, weft at its
// defaults, or weft-wait: onFull 'wait'), then closeAndFlush. Prints JSON: milliseconds from the
// first call to the end of the flush, events reported dropped, and the process's peak RSS. Run as
// its own process so each library's memory is its own.
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { Analytics as WeftAnalytics } from '@weft/node';

const lib = process.env.LIB ?? 'weft';
const count = Number(process.env.COUNT ?? 20_000);
const run = process.env.RUN ?? 'run';
const options = { writeKey: process.env.WRITE_KEY ?? '', host: process.env.HOST ?? '' };

interface Client {
  track(message: { userId: string; event: string; properties: Record<string, unknown> }): unknown;
  closeAndFlush(options: { timeout: number }): Promise<unknown>;
}
let dropped = 0;
let analytics: Client;
if (lib === 'segment') {
  analytics = new SegmentAnalytics(options);
} else {
  const weft = new WeftAnalytics({ ...options, ...(lib === 'weft-wait' ? { onFull: 'wait' as const } : {}) });
  weft.on('dropped', (report) => (dropped += report.events.length));
  analytics = weft;
}

const started = performance.now();
for (let index = 0; index < count; index++) {
  analytics.track({
    userId: `${run}-user-${index % 500}`,
    event: 'Product Viewed',
    properties: { sku: `sku-${index}`, price: 19.99, currency: 'EUR', tags: ['new', 'sale'] },
  });
}
const callsMs = performance.now() - started;
await analytics.closeAndFlush({ timeout: 300_000 });
const totalMs = performance.now() - started;
// maxRSS is in kilobytes.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ lib, count, callsMs, totalMs, peakRssMb, dropped })}\n`);
