import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcessServer } from './support/in-process-server.js';
import { testWriteKey } from './support/server-process.js';

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer('analytics-node');
});

afterAll(() => server?.close());

describe('the real @segment/analytics-node client pointed at Weft', () => {
  it('delivers identify, track, page, group and alias calls, each stored exactly once', async () => {
    const analytics = new Analytics({ writeKey: testWriteKey, host: server.url, flushAt: 3 });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));

    analytics.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
    analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42.5 } });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' } });
    analytics.group({ userId: 'user-1', groupId: 'acme', traits: { employees: 40 } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);

    const rows = await server.database.query<{
      type: string;
      user_id: string | null;
      event: string | null;
      message_id: string;
      body: string;
    }>('SELECT type, user_id, anonymous_id, event, message_id, body FROM events ORDER BY type');

    expect(rows.map((row) => row.type)).toEqual(['alias', 'group', 'identify', 'page', 'track']);
    expect(new Set(rows.map((row) => row.message_id)).size).toBe(5);
    const byType = Object.fromEntries(rows.map((row) => [row.type, { ...row, body: JSON.parse(row.body) }]));
    expect(byType.identify?.body.traits).toEqual({ email: 'ada@example.com', plan: 'pro' });
    expect(byType.track?.event).toBe('Order Completed');
    expect(byType.page?.event).toBe('Pricing');
    expect(byType.group?.body.groupId).toBe('acme');
    expect(byType.alias?.body.previousId).toBe('anon-1');
    // The library's own metadata and context pass through untouched.
    expect(byType.track?.body.context.library.name).toBe('@segment/analytics-node');
    expect(byType.track?.body._metadata).toBeDefined();
  });
});
