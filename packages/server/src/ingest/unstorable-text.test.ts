import { describe, expect, it } from 'vitest';
import { openContactsTestApp } from '../contacts/contact-test-kit.js';

// PostgreSQL refuses NUL (U+0000) in text and jsonb: a batch holding one failed on every retry there,
// and SQLite stored it. Both engines now store U+FFFD in its place, as for a lone surrogate; an
// identifier or a messageId holding one is refused (run on both engines: vitest.config.ts).
describe('NUL in events', () => {
  it('is stored as U+FFFD in names, keys and values, on every engine; refused in a messageId or an identifier', async () => {
    const app = await openContactsTestApp();
    const batch = [
      '{"type":"identify","userId":"u1","messageId":"m1","traits":{"plan":"pro\\u0000","k\\u0000":"v","email":"u1@x.io"}}',
      '{"type":"track","userId":"u1","event":"Paid\\u0000","messageId":"m2","properties":{"sku":"a\\u0000b"}}',
      '{"type":"track","userId":"u1","event":"Paid","messageId":"m\\u00003"}',
      '{"type":"track","userId":"u\\u00002","event":"Paid","messageId":"m4"}',
    ];
    const response = await app.post('/v1/batch', `{"batch":[${batch.join(',')}]}`);
    const body = (await response.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(response.status).toBe(200);
    expect(body.accepted).toBe(2);
    expect(body.rejected.map(({ index, code }) => [index, code])).toEqual([
      [2, 'invalid_message_id'],
      [3, 'invalid_identifier'],
    ]);
    const events = await app.query<{ event: string | null; body: string }>(
      'SELECT event, body FROM events ORDER BY timestamp, message_id',
    );
    expect(events.map((row) => row.event)).toEqual([null, 'Paid\ufffd']);
    expect(JSON.parse(events[1]?.body ?? '{}').properties).toEqual({ sku: 'a\ufffdb' });
    const found = await app.send('POST', '/v1/contacts/search', {
      filters: [{ field: 'traits.plan', op: 'eq', value: 'pro\ufffd' }],
    });
    const contacts = (await found.json()) as { data: { traits: Record<string, unknown> }[] };
    expect(contacts.data.map((contact) => contact.traits)).toEqual([
      { plan: 'pro\ufffd', 'k\ufffd': 'v', email: 'u1@x.io' },
    ]);
  });
});
