import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { readBody } from './read-body.js';

function requestWith(
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
  return new Request('http://weft.test/v1/batch', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return { status: (error as ApiError).status, code: (error as ApiError).code };
}

describe('readBody', () => {
  it('reads a body exactly at the limit', async () => {
    const body = await readBody(requestWith('x'.repeat(1000)), 1000);
    expect(body.byteLength).toBe(1000);
  });

  it('stops a streamed body as soon as it passes the limit, whatever Content-Length said', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(400));
      },
    });
    expect(await failure(readBody(requestWith(endless), 1000))).toEqual({ status: 413, code: 'body_too_large' });
    expect(pulled).toBeLessThan(10);
  });

  it('inflates gzip and counts the limit on the inflated bytes', async () => {
    const packed = new Uint8Array(gzipSync('y'.repeat(1000)));
    expect((await readBody(requestWith(packed, { 'Content-Encoding': 'gzip' }), 1000)).toString()).toBe(
      'y'.repeat(1000),
    );
    const bomb = new Uint8Array(gzipSync('y'.repeat(1001)));
    expect(await failure(readBody(requestWith(bomb, { 'Content-Encoding': 'gzip' }), 1000))).toEqual({
      status: 413,
      code: 'body_too_large',
    });
  });

  it('refuses encodings it cannot inflate with 415', async () => {
    expect(await failure(readBody(requestWith('x', { 'Content-Encoding': 'br' }), 1000))).toEqual({
      status: 415,
      code: 'unsupported_encoding',
    });
  });

  it('answers 400 when the body stream breaks', async () => {
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    expect(await failure(readBody(requestWith(broken), 1000))).toEqual({ status: 400, code: 'body_unreadable' });
  });
});
