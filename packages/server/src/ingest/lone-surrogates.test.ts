import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';

// Found by test/fuzz/ingest.fuzz.test.ts: JSON may escape half a surrogate pair ("\ud800"), which
// SQLite stored in TEXT columns as bytes that are not UTF-8 and read back as "���".
describe('lone surrogates in events', () => {
  it('stores keys and text with U+FFFD in their place, so the body stays UTF-8', async () => {
    const { post, storedEvents } = await openTestApp();
    const text =
      '{"batch":[{"type":"identify","userId":"a","messageId":"m1","traits":{"email":"a@x.io","k\\ud800":"v\\udc00","ok":"\\ud83d\\ude00"}}]}';
    const res = await post('/v1/batch', text);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const [row] = await storedEvents();
    expect(row?.body.traits).toEqual({ email: 'a@x.io', 'k\ufffd': 'v\ufffd', ok: '😀' });
  });

  it('refuses an identifier holding a lone surrogate, naming the field, instead of making two ids one', async () => {
    const { post, storedEvents, query } = await openTestApp();
    const events = [
      '{"type":"identify","userId":"a\\ud800","messageId":"m1"}',
      '{"type":"identify","userId":"a\\ud801","messageId":"m2"}',
      '{"type":"identify","userId":"b","traits":{"email":"\\udfff@x.io"},"messageId":"m3"}',
      '{"type":"track","event":"E","anonymousId":"x","context":{"externalIds":[{"type":"crm","id":"7\\ud800"}]},"messageId":"m4"}',
      '{"type":"alias","previousId":"p\\ud800","userId":"u","messageId":"m5"}',
      '{"type":"group","userId":"u","groupId":"g\\ud800","messageId":"m6"}',
      '{"type":"identify","userId":"a\\ud83d\\ude00","messageId":"m7"}',
    ];
    const res = await post('/v1/batch', `{"batch":[${events.join(',')}]}`);
    const body = (await res.json()) as {
      accepted: number;
      rejected: { index: number; code: string; message: string }[];
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map(({ index, code, message }) => [index, code, message.split(' ')[0]])).toEqual([
      [0, 'invalid_identifier', 'userId'],
      [1, 'invalid_identifier', 'userId'],
      [2, 'invalid_identifier', 'traits.email'],
      [3, 'invalid_identifier', 'context.externalIds[0].id'],
      [4, 'invalid_identifier', 'previousId'],
      [5, 'invalid_identifier', 'groupId'],
    ]);
    expect((await storedEvents()).map((row) => row.user_id)).toEqual(['a😀']);
    expect(await query('SELECT type, value FROM identifiers')).toEqual([{ type: 'user_id', value: 'a😀' }]);
  });

  it('refuses a request whose shared context carries such an identifier, naming it', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post(
      '/v1/batch',
      '{"context":{"traits":{"email":"x\\ud800@y.io"}},"batch":[{"type":"track","event":"E","userId":"u"}]}',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_identifier', message: expect.stringContaining('"context.traits.email"') },
    });
    expect(await storedEvents()).toEqual([]);
  });

  it('rejects a messageId holding a lone surrogate instead of merging it with another id', async () => {
    const { post, storedEvents } = await openTestApp();
    const text =
      '{"batch":[{"type":"track","event":"E","userId":"u","messageId":"m\\ud800"},{"type":"track","event":"E","userId":"u","messageId":"m\\ud801"},{"type":"track","event":"E","userId":"u","messageId":"m\\ud83d\\ude00"}]}';
    const res = await post('/v1/batch', text);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map(({ index, code }) => [index, code])).toEqual([
      [0, 'invalid_message_id'],
      [1, 'invalid_message_id'],
    ]);
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['m😀']);
  });
});
