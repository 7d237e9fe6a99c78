// A script written for @segment/analytics-node, as its README shows. The compatibility test runs
// it as is, and again with only the import line changed to '@weft/node'.
// Env: HOST, WRITE_KEY, RUN (a tag that keeps each run's users apart).
import { Analytics } from '@segment/analytics-node';

const run = process.env.RUN ?? 'run';
const analytics = new Analytics({
  writeKey: process.env.WRITE_KEY ?? '',
  host: process.env.HOST,
  flushAt: 4,
  flushInterval: 1_000,
  maxRetries: 3,
  httpRequestTimeout: 5_000,
});

const acknowledged: string[] = [];
const failures: unknown[] = [];
analytics.on('error', (err) => failures.push(err));
const done = (err?: unknown, ctx?: { event: { messageId?: string } }) => {
  if (err) failures.push(err);
  else if (ctx?.event.messageId) acknowledged.push(ctx.event.messageId);
};

const userId = `${run}-user`;
analytics.identify({ userId, traits: { name: 'Peter Gibbons', email: 'peter@example.com', plan: 'premium' } }, done);
analytics.track({ userId, event: 'Item Purchased', properties: { revenue: 39.95, shippingMethod: '2-day' } }, done);
analytics.page(
  { userId, category: 'Docs', name: 'Node.js Library', properties: { url: 'https://example.com/docs' } },
  done,
);
analytics.screen({ userId, name: 'Home', properties: { variation: 'blue' } }, done);
analytics.group({ userId, groupId: `${run}-group`, traits: { name: 'Initech', employees: 329 } }, done);
analytics.alias({ previousId: `${run}-anonymous`, userId }, done);
analytics.track({ anonymousId: `${run}-anon`, event: 'Signed Up', timestamp: new Date('2026-01-01T00:00:00Z') }, done);

await analytics.closeAndFlush({ timeout: 10_000 });
process.stdout.write(`${JSON.stringify({ acknowledged, failures: failures.map(String) })}\n`);
