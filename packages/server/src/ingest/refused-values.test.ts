import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';

interface Answer {
  accepted: number;
  rejected: { index: number; code: string; message: string }[];
}

/** Posts the events as raw JSON text (so that 1e999 and escapes reach the server as sent). */
async function postBatch(events: string[]): Promise<{ answer: Answer; stored: string[] }> {
  const { post, storedEvents } = await openTestApp();
  const res = await post('/v1/batch', `{"batch":[${events.join(',')}]}`);
  expect(res.status).toBe(200);
  return { answer: (await res.json()) as Answer, stored: (await storedEvents()).map((row) => row.message_id) };
}

describe('values ingest refuses, naming them, while keeping the valid neighbours', () => {
  it.each([
    ['userId', '"userId":"a\\u0000b"'],
    ['userId', '"userId":"line\\nbreak"'],
    ['anonymousId', '"anonymousId":"x\\u007f"'],
    ['context.traits.email', '"userId":"u","context":{"traits":{"email":"a\\tb@x.io"}}'],
  ])('an identifier holding a control character (%s)', async (field, fields) => {
    const { answer, stored } = await postBatch([
      `{"type":"track","event":"E","messageId":"bad",${fields}}`,
      '{"type":"track","event":"E","messageId":"good","userId":"u"}',
    ]);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toEqual([
      {
        index: 0,
        messageId: 'bad',
        code: 'invalid_identifier',
        message: expect.stringMatching(`^${field.replace(/[.[\]]/g, '\\$&')} holds a control character`),
      },
    ]);
    expect(stored).toEqual(['good']);
  });

  it('an event name over 255 characters, counted in characters', async () => {
    const long = 'x'.repeat(256);
    const emoji255 = '😀'.repeat(255); // 510 UTF-16 units, 255 characters: allowed
    const { answer, stored } = await postBatch([
      `{"type":"track","event":"${long}","messageId":"long","userId":"u"}`,
      `{"type":"page","name":"${long}","messageId":"long-page","userId":"u"}`,
      `{"type":"track","event":"${emoji255}","messageId":"ok","userId":"u"}`,
    ]);
    expect(answer.rejected.map((r) => [r.index, r.code, r.message])).toEqual([
      [0, 'invalid_field', 'event is 256 characters, over the 255-character limit for event names'],
      [1, 'invalid_field', 'name is 256 characters, over the 255-character limit for event names'],
    ]);
    expect(stored).toEqual(['ok']);
  });

  it('a number JSON gives as infinite, naming the field, instead of storing null', async () => {
    const { answer, stored } = await postBatch([
      '{"type":"track","event":"E","messageId":"inf","userId":"u","properties":{"price":1e999}}',
      '{"type":"identify","messageId":"neg","userId":"u","traits":{"scores":[1,-1e999]}}',
      '{"type":"track","event":"E","messageId":"fine","userId":"u","properties":{"price":1e308}}',
    ]);
    expect(answer.rejected.map((r) => [r.index, r.code, r.message.split(':')[0]])).toEqual([
      [0, 'invalid_field', 'properties.price'],
      [1, 'invalid_field', 'traits.scores[1]'],
    ]);
    expect(stored).toEqual(['fine']);
  });

  it('an infinite number in the shared context refuses the request, naming it', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post(
      '/v1/batch',
      '{"context":{"geo":{"lat":1e999}},"batch":[{"type":"track","event":"E","userId":"u"}]}',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_field', message: expect.stringContaining('"context.geo.lat"') },
    });
    expect(await storedEvents()).toEqual([]);
  });
});
