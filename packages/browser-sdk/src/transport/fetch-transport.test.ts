import { describe, expect, it } from 'vitest';
import { createFetchTransport } from './fetch-transport.js';

const request = { body: '{"batch":[]}', bytes: 12, eventCount: 0, timeoutMs: 2_000 };

/** A fetch answering `status` with a body that streams `text`, then fails if `cut`. */
function fetchAnswering(status: number, text: string, cut = false): typeof fetch {
  return async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        if (cut) controller.error(new TypeError('network connection lost'));
        else controller.close();
      },
    });
    return new Response(body, { status, headers: { 'retry-after': '3' } });
  };
}

describe('createFetchTransport', () => {
  it('answers the status, Retry-After and JSON body', async () => {
    const send = createFetchTransport({
      url: 'https://x/v1/batch',
      writeKey: 'wk',
      fetch: fetchAnswering(200, '{"rejected":[]}'),
    });
    expect(await send.send(request)).toEqual({
      kind: 'response',
      status: 200,
      retryAfter: '3',
      body: { rejected: [] },
    });
  });

  it('answers no body for one that is not JSON', async () => {
    const send = createFetchTransport({
      url: 'https://x/v1/batch',
      writeKey: 'wk',
      fetch: fetchAnswering(502, '<html>'),
    });
    expect(await send.send(request)).toEqual({ kind: 'response', status: 502, retryAfter: '3', body: undefined });
  });

  it('answers a network error when the body is cut off, so a 200 that lost its rejected list is sent again', async () => {
    const cut = createFetchTransport({
      url: 'https://x/v1/batch',
      writeKey: 'wk',
      fetch: fetchAnswering(200, '{"success":true,"rejected":[{"index":0', true),
    });
    expect((await cut.send(request)).kind).toBe('network-error');
  });
});
