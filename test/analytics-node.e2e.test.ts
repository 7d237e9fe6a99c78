import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import type { RunningServer } from '@weft/server';
import { loadConfig, openDatabase, silentLogger, startServer } from '@weft/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testWriteKey } from './support/server-process.js';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  const config = loadConfig({
    PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_DB: join(dir, 'weft.db'),
    WEFT_WRITE_KEY: testWriteKey,
    WEFT_ADMIN_TOKEN: 'adm_e2e_token_0123456789abcdefghijklmnop',
  });
  server = await startServer(config, silentLogger);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the real @segment/analytics-node client pointed at Weft', () => {
  it('delivers identify, track, page, group and alias calls, each stored exactly once', async () => {
    const analytics = new Analytics({ writeKey: testWriteKey, host: `http://127.0.0.1:${server.port}`, flushAt: 3 });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));

    analytics.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
    analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42.5 } });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' } });
    analytics.group({ userId: 'user-1', groupId: 'acme', traits: { employees: 40 } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);

    const db = openDatabase(join(dir, 'weft.db'));
    const rows = db
      .prepare('SELECT type, user_id, anonymous_id, event, message_id, body FROM events ORDER BY type')
      .all() as { type: string; user_id: string | null; event: string | null; message_id: string; body: string }[];
    db.close();

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
