import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcessServer } from './support/in-process-server.js';
import { testWriteKey } from './support/server-process.js';

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer('identity-concurrency');
});

afterAll(() => server?.close());

describe('concurrent requests', () => {
  it('make one profile when 20 identifies of one anonymous id arrive at once over HTTP', async () => {
    const auth = `Basic ${Buffer.from(`${testWriteKey}:`).toString('base64')}`;
    const send = (index: number) =>
      fetch(`http://127.0.0.1:${server.port}/v1/identify`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ anonymousId: 'shared-anon', traits: { email: 'ada@example.com', step: index } }),
      });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => send(index)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));

    const profiles = await server.database.query<{ event_count: number | string }>(
      'SELECT event_count FROM profiles WHERE merged_into IS NULL',
    );
    expect(profiles.map((row) => Number(row.event_count))).toEqual([20]);
    const identifiers = await server.database.query('SELECT type, value FROM identifiers ORDER BY type, value');
    expect(identifiers).toEqual([
      { type: 'anonymous_id', value: 'shared-anon' },
      { type: 'email', value: 'ada@example.com' },
    ]);
  });
});
