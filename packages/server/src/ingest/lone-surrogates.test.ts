import { describe, expect, it } from 'vitest';
import { createTestApp, storedEvents } from '../testing/test-app.js';

// Found by test/fuzz/ingest.fuzz.test.ts: JSON may escape half a surrogate pair ("\ud800"), which
// SQLite stored in TEXT columns as bytes that are not UTF-8 and read back as "���".
describe('lone surrogates in events', () => {
  it('stores identifiers and keys with U+FFFD in their place, so columns, body and contacts agree', async () => {
    const { post, db } = createTestApp();
    const text =
      '{"batch":[{"type":"identify","userId":"a\\ud800","messageId":"m1","traits":{"email":"\\udfff@x.io","k\\ud800":"v\\udc00","ok":"\\ud83d\\ude00"}}]}';
    const res = await post('/v1/batch', text);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const [row] = storedEvents(db);
    expect(row?.user_id).toBe('a\ufffd');
    expect(row?.body.userId).toBe('a\ufffd');
    expect(row?.body.traits).toEqual({ email: '\ufffd@x.io', 'k\ufffd': 'v\ufffd', ok: '😀' });
    const identifiers = db.prepare("SELECT type || ':' || value FROM identifiers ORDER BY 1").pluck().all();
    expect(identifiers).toEqual(['email:\ufffd@x.io', 'user_id:a\ufffd']);
  });

  it('rejects a messageId holding a lone surrogate instead of merging it with another id', async () => {
    const { post, db } = createTestApp();
    const text =
      '{"batch":[{"type":"track","event":"E","userId":"u","messageId":"m\\ud800"},{"type":"track","event":"E","userId":"u","messageId":"m\\ud801"},{"type":"track","event":"E","userId":"u","messageId":"m\\ud83d\\ude00"}]}';
    const res = await post('/v1/batch', text);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map(({ index, code }) => [index, code])).toEqual([
      [0, 'invalid_message_id'],
      [1, 'invalid_message_id'],
    ]);
    expect(storedEvents(db).map((row) => row.message_id)).toEqual(['m😀']);
  });
});
