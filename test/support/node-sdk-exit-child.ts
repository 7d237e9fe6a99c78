// A script that tracks events and simply ends: no flush, no close. Env: HOST, WRITE_KEY, RUN.
import { Analytics } from '@weft/node';

const analytics = new Analytics({
  writeKey: process.env.WRITE_KEY ?? '',
  host: process.env.HOST ?? '',
  // Far longer than the test waits: only the exit flush can send these.
  flushInterval: 3_600_000,
  exitFlushTimeout: 2_000,
});
analytics.on('delivered', ({ messageIds }) => process.stdout.write(`delivered ${messageIds.length}\n`));
analytics.on('dropped', ({ events, reason }) => process.stdout.write(`dropped ${events.length} ${reason.code}\n`));
analytics.on('retry', ({ reason }) => process.stdout.write(`retry ${reason}\n`));

for (let index = 0; index < 3; index++) {
  analytics.track({ userId: `${process.env.RUN}-user`, event: 'Script Ended', properties: { index } });
}
