import { Analytics, type DroppedReport, EventDroppedError, InvalidEventError } from '@weft/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcessServer } from './support/in-process-server.js';
import { testWriteKey } from './support/server-process.js';

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer('node-sdk-e2e');
});

afterAll(() => server?.close());

interface Row {
  type: string;
  message_id: string;
  body: string;
}

function storedRows(userId: string): Promise<Row[]> {
  return server.database.query<Row>(
    'SELECT type, message_id, body FROM events WHERE user_id = ? OR anonymous_id = ? ORDER BY type',
    [userId, userId],
  );
}

describe('@weft/node against the real server', () => {
  it('stores identify, track, page, screen, group and alias exactly once and calls each callback once', async () => {
    const analytics = new Analytics({ writeKey: testWriteKey, host: server.url, flushAt: 4 });
    const callbacks: { err: unknown; messageId: string | undefined }[] = [];
    const callback = (err: unknown, ctx?: { event: { messageId: string } }) =>
      callbacks.push({ err, messageId: ctx?.event.messageId });
    const userId = 'e2e-user';
    void analytics.identify({ userId, traits: { email: 'ada@example.com' } }, callback);
    void analytics.track({ userId, event: 'Order Completed', properties: { total: 42.5 } }, callback);
    void analytics.page({ userId, name: 'Pricing', properties: { path: '/pricing' } }, callback);
    void analytics.screen({ userId, name: 'Home' }, callback);
    void analytics.group({ userId, groupId: 'acme', traits: { employees: 40 } }, callback);
    void analytics.alias({ userId, previousId: 'anon-1' }, callback);
    expect(await analytics.flush()).toEqual({ isComplete: true, pending: 0 });
    await analytics.closeAndFlush();

    const rows = await storedRows(userId);
    expect(rows.map((row) => row.type)).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
    expect(callbacks.every((entry) => entry.err === undefined)).toBe(true);
    expect(callbacks.map((entry) => entry.messageId).sort()).toEqual(rows.map((row) => row.message_id).sort());
    const track = JSON.parse(rows.find((row) => row.type === 'track')?.body ?? '{}');
    expect(track.properties).toEqual({ total: 42.5 });
    expect(track.context.library.name).toBe('@weft/node');
  });

  it('sends an event again with the same messageId and the server keeps one copy', async () => {
    const analytics = new Analytics({ writeKey: testWriteKey, host: server.url, flushAt: 1 });
    for (let attempt = 0; attempt < 2; attempt++) {
      void analytics.track({ userId: 'e2e-dedupe', event: 'Job Ran', messageId: 'job-7' });
      await analytics.flush();
    }
    await analytics.closeAndFlush();
    expect(await storedRows('e2e-dedupe')).toHaveLength(1);
  });

  it('reports events dropped with the server’s code when the write key is wrong', async () => {
    const analytics = new Analytics({ writeKey: 'wk_not_a_key', host: server.url, flushAt: 1 });
    const dropped: DroppedReport[] = [];
    analytics.on('dropped', (report) => dropped.push(report));
    let callbackError: unknown;
    void analytics.track({ userId: 'e2e-401', event: 'Nope' }, (err) => (callbackError = err));
    await analytics.closeAndFlush();
    expect(dropped[0]?.reason).toMatchObject({ code: 'http_error', status: 401 });
    expect(callbackError).toBeInstanceOf(EventDroppedError);
    expect(await storedRows('e2e-401')).toEqual([]);
  });

  it('throws an InvalidEventError naming the field at the call, before anything is sent', () => {
    const analytics = new Analytics({ writeKey: testWriteKey, host: server.url });
    expect(() => analytics.track({ event: 'No One' } as never)).toThrow(InvalidEventError);
    void analytics.closeAndFlush();
  });
});
