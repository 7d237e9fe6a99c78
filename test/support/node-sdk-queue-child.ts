// A process using @weft/node with a disk queue, for the crash test.
//   track <host> <writeKey> <dir> <prefix>: tracks events one after another, printing
//     `accepted <messageId>` once each is on disk, until killed (5,000 at most).
//   drain <host> <writeKey> <dir>: opens the same directory, sends what it holds, prints `drained <json>`.
import { Analytics } from '@weft/node';

const [mode, host, writeKey, dir, prefix] = process.argv.slice(2);
if (!host || !writeKey || !dir) throw new Error('usage: track|drain <host> <writeKey> <dir> [prefix]');

// Full batches of 20 go out as they fill; a partial one waits (the interval is long), so the
// parent can kill this process with events both in flight and not yet sent.
const analytics = new Analytics({ writeKey, host, flushAt: 20, flushInterval: 60_000, queue: { dir } });
analytics.on('error', ({ error }) => console.error(`error ${error.message}`));
analytics.on('dropped', ({ reason, events }) => console.error(`dropped ${events.length} ${reason.code}`));

if (mode === 'track') {
  for (let index = 0; index < 5_000; index++) {
    const messageId = `${prefix}-${String(index).padStart(5, '0')}`;
    await analytics.track({ userId: 'crash-user', event: 'Crash Test', messageId, properties: { index } });
    // A pipe write is synchronous on Linux: once printed, the parent knows it was accepted.
    process.stdout.write(`accepted ${messageId}\n`);
  }
  await analytics.closeAndFlush();
} else {
  await analytics.ready;
  const loaded = analytics.queued;
  const result = await analytics.closeAndFlush({ timeout: 20_000 });
  process.stdout.write(`drained ${JSON.stringify({ loaded, ...result })}\n`);
}
