import { describe, expect, it } from 'vitest';
import { closingRequest, frameRequest, statusResponse } from './http-framing.js';

const head = 'POST /v1/batch HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 5';

describe('frameRequest', () => {
  it('waits for the end of the head, then for Content-Length bytes of body', () => {
    expect(frameRequest(Buffer.from('POST /v1/batch HTTP/1.1\r\nHost'))).toEqual({ kind: 'incomplete' });
    expect(frameRequest(Buffer.from(`${head}\r\n\r\nabc`))).toEqual({ kind: 'incomplete' });
    const frame = frameRequest(Buffer.from(`${head}\r\n\r\nabcde`));
    expect(frame).toMatchObject({ kind: 'complete', head });
    expect(frame.kind === 'complete' && frame.body.toString()).toBe('abcde');
  });

  it('takes a request without a body as complete at the end of its head', () => {
    expect(frameRequest(Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'))).toMatchObject({ kind: 'complete' });
  });

  it('refuses what it cannot frame: a chunked body, or a second request behind the first', () => {
    const chunked = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n';
    expect(frameRequest(Buffer.from(chunked))).toMatchObject({ kind: 'unframed' });
    expect(frameRequest(Buffer.from(`${head}\r\n\r\nabcdeGET`))).toMatchObject({ kind: 'unframed' });
  });
});

describe('closingRequest', () => {
  it('replaces the Connection header with close and keeps the rest byte for byte', () => {
    const text = closingRequest(head, Buffer.from('abcde')).toString();
    expect(text).toBe('POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nabcde');
  });
});

describe('statusResponse', () => {
  it('is a whole HTTP answer with a length, Connection: close and Retry-After when given', () => {
    const text = statusResponse(503, 1).toString();
    const [headPart, body] = text.split('\r\n\r\n');
    expect(headPart).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(headPart).toContain('Retry-After: 1');
    expect(headPart).toContain('Connection: close');
    expect(headPart).toContain(`Content-Length: ${Buffer.byteLength(body ?? '')}`);
    expect(statusResponse(500).toString()).not.toContain('Retry-After');
  });
});
