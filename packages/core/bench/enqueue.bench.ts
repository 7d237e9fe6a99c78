// pnpm bench:core — enqueue throughput and retained memory per queued event, for 1,000,000
// events, each next to a reference run in the same process: building the same event and keeping
// only its JSON string in an array (the least any queue could do). Figures are ratios to that
// reference, since the machine is shared and noisy. Run with --expose-gc.

import { createMessageIdFactory } from '../src/event/message-id.js';
import { buildEvent, createDeliveryEngine, type EventCall, type Transport } from '../src/index.js';

const COUNT = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const context = { library: { name: '@weft/bench', version: '0.0.0' }, locale: 'en-GB', timezone: 'Europe/London' };

function call(index: number): EventCall {
  return {
    type: 'track',
    userId: `user-${index % 5_000}`,
    event: 'Product Viewed',
    properties: { productId: `sku-${index}`, price: 19.99, currency: 'EUR', tags: ['new', 'sale'] },
  };
}

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

interface Run {
  eventsPerSecond: number;
  bytesPerEvent: number;
  jsonBytes: number;
}

function measure(name: string, enqueueAll: () => { keep: unknown; jsonBytes: number }): Run {
  const before = heapUsed();
  const started = process.hrtime.bigint();
  const { keep, jsonBytes } = enqueueAll();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = heapUsed();
  // `keep` holds the queue alive until after the second heap reading.
  if (!keep) throw new Error(name);
  return { eventsPerSecond: COUNT / seconds, bytesPerEvent: (after - before) / COUNT, jsonBytes: jsonBytes / COUNT };
}

function reference(): Run {
  return measure('reference', () => {
    const kept: string[] = [];
    const nextMessageId = createMessageIdFactory();
    let jsonBytes = 0;
    for (let index = 0; index < COUNT; index++) {
      const { type, ...rest } = call(index);
      const json = JSON.stringify({
        type,
        messageId: nextMessageId(),
        timestamp: new Date().toISOString(),
        context,
        ...rest,
      });
      jsonBytes += json.length;
      kept.push(json);
    }
    return { keep: kept, jsonBytes };
  });
}

function engine(): Run {
  // A server that never answers: everything stays queued, as during an outage.
  const silentServer: Transport = { send: () => new Promise(() => {}) };
  return measure('engine', () => {
    const deliveryEngine = createDeliveryEngine({
      transport: silentServer,
      maxQueueItems: COUNT,
      maxQueueBytes: 2 ** 40,
      requestTimeoutMs: 3_600_000,
    });
    let jsonBytes = 0;
    for (let index = 0; index < COUNT; index++) {
      const built = buildEvent(call(index), { context });
      if (!built.ok) throw built.error;
      const queued = deliveryEngine.enqueue(built.event);
      if (!queued.ok) throw queued.error;
    }
    if (deliveryEngine.size !== COUNT) throw new Error(`queued ${deliveryEngine.size} of ${COUNT}`);
    jsonBytes = COUNT; // per-event size is reported by the reference run
    deliveryEngine.close();
    return { keep: deliveryEngine, jsonBytes };
  });
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');
// Warm both paths up so neither run pays for JIT compilation alone.
for (let index = 0; index < 20_000; index++) buildEvent(call(index), { context });

const ref = reference();
const eng = engine();
console.log(`@weft/core enqueue, ${format(COUNT)} track events of ~${format(ref.jsonBytes)} bytes of JSON each`);
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log('');
console.log('| run | events/s | retained bytes/event |');
console.log('|---|---:|---:|');
console.log(
  `| reference: build + JSON.stringify + array push | ${format(ref.eventsPerSecond)} | ${format(ref.bytesPerEvent)} |`,
);
console.log(
  `| buildEvent + engine.enqueue (memory queue) | ${format(eng.eventsPerSecond)} | ${format(eng.bytesPerEvent)} |`,
);
console.log(
  `| engine ÷ reference | ${(eng.eventsPerSecond / ref.eventsPerSecond).toFixed(2)}× | ${(eng.bytesPerEvent / ref.bytesPerEvent).toFixed(2)}× |`,
);
// The silent server leaves a request (and its timeout timer) pending forever.
process.exit(0);
