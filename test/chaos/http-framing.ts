// Just enough HTTP/1.1 for the fault proxy: where a request ends, and a header rewritten so that
// each connection carries one exchange. Bodies must have a Content-Length (what fetch sends for a
// string body); anything else is reported as unframed.

const headerEnd = Buffer.from('\r\n\r\n');

export type RequestFrame =
  | { kind: 'incomplete' }
  | { kind: 'unframed'; reason: string }
  | { kind: 'complete'; head: string; body: Buffer };

/** Splits a buffered request into its head and body once all of it has arrived. */
export function frameRequest(buffered: Buffer): RequestFrame {
  const end = buffered.indexOf(headerEnd);
  if (end === -1) return { kind: 'incomplete' };
  const head = buffered.subarray(0, end).toString('latin1');
  if (/^transfer-encoding:/im.test(head)) return { kind: 'unframed', reason: 'chunked request body' };
  const length = /^content-length:\s*(\d+)\s*$/im.exec(head);
  const bodyBytes = length ? Number(length[1]) : 0;
  const bodyStart = end + headerEnd.length;
  if (buffered.length < bodyStart + bodyBytes) return { kind: 'incomplete' };
  if (buffered.length > bodyStart + bodyBytes) return { kind: 'unframed', reason: 'pipelined requests' };
  return { kind: 'complete', head, body: buffered.subarray(bodyStart) };
}

/**
 * The request as the proxy forwards it, asking for `Connection: close`: the server then says so in
 * its answer, the client does not reuse the connection, and the proxy knows the answer ended when
 * the server closes.
 */
export function closingRequest(head: string, body: Buffer): Buffer {
  const lines = head.split('\r\n').filter((line) => !/^connection:/i.test(line));
  return Buffer.concat([Buffer.from(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

const reasons: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A whole response the proxy answers itself, in the server's error shape. */
export function statusResponse(status: number, retryAfterSeconds?: number): Buffer {
  const body = JSON.stringify({ error: { code: 'chaos_proxy', message: `injected ${status}` } });
  const lines = [
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...(retryAfterSeconds === undefined ? [] : [`Retry-After: ${retryAfterSeconds}`]),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}
