// The app the chaos harness runs in a child process: @weft/node from source with a disk queue,
// making the calls the harness asks for and telling it (IPC) what the SDK reported. Run with
// sourceNodeArgs and an IPC channel; argv[2] is a NodeAppConfig as JSON.
import { Analytics } from '@weft/node';
import { createSeededRandom } from '../seeded-random.js';
import type { FromApp, NodeAppConfig, ToApp } from './node-sdk-protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as NodeAppConfig;
const tell = (message: FromApp) => process.send?.(message);
const jitter = createSeededRandom(config.seed);
const { timing } = config;

const analytics = new Analytics(
  {
    writeKey: config.writeKey,
    host: config.host,
    flushAt: timing.flushAt,
    flushInterval: timing.flushIntervalMs,
    httpRequestTimeout: timing.requestTimeoutMs,
    queue: { dir: config.queueDir },
  },
  // @weft/node has no option for the backoff's base and ceiling: scaling the jitter's draws scales
  // the wait the same way (full jitter: floor + draw · (ceiling - floor)).
  { random: () => jitter() * timing.backoffScale },
);
analytics.on('delivered', ({ messageIds }) => tell({ type: 'delivered', messageIds }));
analytics.on('dropped', ({ events, reason }) =>
  tell({ type: 'dropped', messageIds: events.map((e) => e.messageId), code: reason.code, message: reason.message }),
);
analytics.on('retry', ({ attempt, reason }) => tell({ type: 'retry', attempt, reason }));
analytics.on('error', ({ error }) => tell({ type: 'error', message: error.message }));

let seq = 0;
let isDraining = false;

// The harness is gone (crashed, killed): no one will drain or count, so end like a SIGKILL would.
process.on('disconnect', () => {
  if (!isDraining) process.exit(1);
});

process.on('message', (message: ToApp) => {
  if (message.type === 'send' && !isDraining) void send(message.count, message.requestId);
  if (message.type === 'drain') void drain(message.timeoutMs);
});

async function send(count: number, requestId: number): Promise<void> {
  const messageIds: string[] = [];
  const stored: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = `${config.idPrefix}-${seq++}`;
    messageIds.push(messageId);
    stored.push(
      analytics.track({
        userId: `chaos-user-${seq % 50}`,
        event: 'Chaos Tick',
        messageId,
        properties: { seq, sentAt: Date.now() },
      }),
    );
  }
  // Resolved: each event is on disk, so a SIGKILL from now on cannot lose it.
  await Promise.all(stored);
  tell({ type: 'accepted', requestId, messageIds });
}

async function drain(timeoutMs: number): Promise<void> {
  isDraining = true;
  const result = await analytics.closeAndFlush({ timeout: timeoutMs });
  tell({ type: 'drained', isComplete: result.isComplete, pending: result.pending });
  process.disconnect?.();
}

await analytics.ready;
tell({ type: 'ready', loaded: analytics.queued });
