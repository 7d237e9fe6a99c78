import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basicAuth, killStrayServers, type ServerProcess, startServerProcess } from './support/server-process.js';
import { openTestDatabase } from './support/test-database.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-first-start-'));
afterAll(() => {
  killStrayServers();
  rmSync(dir, { recursive: true, force: true });
});

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

describe('first start without keys', () => {
  it('prints a working write key and admin token once, storing only their hashes', { timeout: 40_000 }, async () => {
    // On SQLite in a folder that does not exist yet: the server makes it.
    const database = await openTestDatabase(dir, join('data', 'weft.db'));
    const first = await startServerProcess(database.url, { WEFT_WRITE_KEY: '', WEFT_ADMIN_TOKEN: '' });
    await stop(first);
    const writeKey = /write key:\s+(\S+)/.exec(first.output())?.[1] ?? '';
    const adminToken = /admin token:\s+(\S+)/.exec(first.output())?.[1] ?? '';
    expect(writeKey).toMatch(/^wk_/);
    expect(adminToken).toMatch(/^adm_/);

    const stored = JSON.stringify(await database.query('SELECT * FROM credentials'));
    expect(stored).not.toContain(writeKey.slice(3));
    expect(stored).not.toContain(adminToken.slice(4));

    const second = await startServerProcess(database.url, { WEFT_WRITE_KEY: '', WEFT_ADMIN_TOKEN: '' });
    const res = await fetch(`${second.url}/v1/track`, {
      method: 'POST',
      headers: { Authorization: basicAuth(writeKey) },
      body: JSON.stringify({ userId: 'u', event: 'E' }),
    });
    await stop(second);
    expect(res.status).toBe(200);
    expect(second.output()).not.toContain('write key:');

    // The event came without a messageId: the server gave it a time-ordered UUIDv7.
    const [event] = await database.query<{ message_id: string }>('SELECT message_id FROM events');
    await database.close();
    expect(event?.message_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
