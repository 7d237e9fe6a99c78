import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { basicAuth } from '../../packages/server/src/testing/test-app.js';
import { injectionStrings, nastyString } from './adversarial-values.js';

export interface RawRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly label: string;
}

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

const ingestPaths = ['/v1/batch', '/v1/b', '/v1/track', '/v1/t', '/v1/identify', '/v1/page', '/v1/alias', '/v1/m'];

const sampleBatch = JSON.stringify({
  batch: [
    { type: 'track', event: 'Clicked', userId: 'u1', properties: { price: 1.5, tags: ['a'] } },
    { type: 'identify', anonymousId: 'a1', traits: { email: 'ada@example.com' } },
  ],
  sentAt: '2026-03-01T12:00:00.000Z',
  context: { ip: '1.2.3.4' },
});

/** Byte sequences no UTF-8 decoder accepts: a lone continuation, an overlong form, a surrogate, a cut rune. */
const invalidUtf8 = fc.constantFrom(
  Uint8Array.of(0xff),
  Uint8Array.of(0x80),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0xfe, 0xff),
);

/** JSON texts a JS literal cannot express: numbers past double range, escapes of lone surrogates. */
const oddJsonTexts = [
  '{"batch":[{"type":"track","event":"E","userId":1e400,"messageId":"n1"}]}',
  '{"batch":[{"type":"track","event":"E","userId":-1e400,"anonymousId":"a","properties":{"n":1e999}}]}',
  '{"batch":[{"type":"track","event":"E","userId":123456789012345678901234567890,"timestamp":"2026-01-01"}]}',
  '{"batch":[{"type":"identify","userId":"\\ud800","traits":{"email":"\\udfff@x.io","\\ud83d":"\\ude00"}}]}',
  '{"batch":[{"type":"track","event":"\\u0000","userId":"\\u0000"}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","messageId":"\\ud800"}]}',
  '{"batch":[{"__proto__":{"polluted":1},"type":"track","event":"E","userId":"u"}]}',
  '{"__proto__":{"batch":[]},"batch":[{"type":"track","event":"E","userId":"u"}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","constructor":{"prototype":{"polluted":1}}}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","properties":{"constructor":{"prototype":{"x":1}}}}]}',
  '{"batch":[],"batch":{}}',
  '{"batch":[{"type":"track","type":"alias","event":"E","userId":"u"}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","timestamp":"+275760-09-13T00:00:00.000Z"}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","timestamp":"9999-12-31T23:59:59.999Z","sentAt":"0000-01-01T00:00:00Z"}]}',
  '{"batch":[{"type":"track","event":"E","userId":"u","timestamp":"0000-01-01T00:00:00Z","sentAt":"9999-12-31T23:59:59Z"}],"sentAt":"0001-01-01"}',
  '{"batch":[{"type":"page","anonymousId":"a","name":{"toString":"x"}}]}',
  '{"batch":"[]"}',
  '{"batch":null}',
  '{"batch":[[]],"context":[]}',
  '{"batch":[{}],"context":"x","integrations":1}',
  '{"batch":[{"type":"track"}],"sentAt":12}',
  '{"writeKey":{"toString":"k"},"batch":[]}',
  '[]',
  '[{"type":"track"}]',
  'null',
  'true',
  '"{}"',
  '0',
  '1e400',
  '{}',
  '{"batch":[]}',
  ' ',
  '',
  '\ufeff{"batch":[]}',
  '{"batch":[{"type":"track","event":"E","userId":"u"}]}garbage',
];

/** A body close to a limit: 512 KiB of body, 32 KiB per event, 64 levels. */
const nearLimitBody = fc
  .tuple(fc.constantFrom('body', 'event', 'depth', 'count'), fc.integer({ min: -3, max: 3 }))
  .map(([limit, delta]): Uint8Array => {
    if (limit === 'body') {
      const frame = '{"batch":[],"pad":""}';
      return bytes(`{"batch":[],"pad":"${'x'.repeat(512 * 1024 - frame.length + delta)}"}`);
    }
    if (limit === 'event') {
      const event = { type: 'track', event: 'E', userId: 'u', properties: { s: '' } };
      const fill = 32 * 1024 - JSON.stringify(event).length + delta;
      return bytes(JSON.stringify({ batch: [{ ...event, properties: { s: 'é'.repeat(Math.max(0, fill) / 2) } }] }));
    }
    if (limit === 'depth') {
      const levels = 64 + delta;
      const deep = `${'{"d":'.repeat(levels - 2)}{}${'}'.repeat(levels - 2)}`;
      return bytes(`{"batch":[{"type":"track","event":"E","userId":"u","properties":${deep}}]}`);
    }
    const events = Array.from({ length: 10_000 + delta }, () => '{}').join(',');
    return bytes(`{"batch":[${events}]}`);
  });

const body: fc.Arbitrary<{ kind: string; bytes: Uint8Array; gzipped?: boolean }> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => ({ kind: 'random bytes', bytes: b })),
  fc
    .integer({ min: 0, max: sampleBatch.length })
    .map((cut) => ({ kind: `json cut at ${cut}`, bytes: bytes(sampleBatch.slice(0, cut)) })),
  fc.tuple(fc.integer({ min: 0, max: sampleBatch.length }), invalidUtf8).map(([at, bad]) => ({
    kind: `invalid utf-8 at ${at}`,
    bytes: concat(bytes(sampleBatch.slice(0, at)), bad, bytes(sampleBatch.slice(at))),
  })),
  fc.constantFrom(...oddJsonTexts).map((text) => ({ kind: `json ${text.slice(0, 80)}`, bytes: bytes(text) })),
  fc.uint8Array({ maxLength: 256 }).map((tail) => ({
    kind: 'gzip header, then garbage',
    bytes: concat(Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03), tail),
    gzipped: true,
  })),
  fc.integer({ min: 1, max: 60 }).map((cut) => {
    const packed = gzipSync(sampleBatch);
    return { kind: `gzip cut to ${cut} bytes`, bytes: new Uint8Array(packed.subarray(0, cut)), gzipped: true };
  }),
  fc
    .constantFrom(...oddJsonTexts)
    .map((text) => ({ kind: `gzip of ${text.slice(0, 60)}`, bytes: new Uint8Array(gzipSync(text)), gzipped: true })),
  fc.constant({
    kind: 'gzip bomb',
    bytes: new Uint8Array(gzipSync(`{"batch":[],"pad":"${'0'.repeat(4 * 1024 * 1024)}"}`)),
    gzipped: true,
  }),
  nearLimitBody.map((b) => ({ kind: `near a limit (${b.byteLength} bytes)`, bytes: b })),
  nastyString.map((text) => ({ kind: `text ${JSON.stringify(text)}`, bytes: bytes(text) })),
);

/** Header values are bytes (latin-1): a client can send nothing else. */
const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/xml',
    '',
    '*/*',
  ),
  latin1,
);

const contentEncoding = fc.oneof(
  fc.constantFrom(
    undefined,
    'gzip',
    'x-gzip',
    'GZIP',
    ' gzip ',
    'identity',
    'br',
    'deflate',
    'gzip, gzip',
    'compress',
    '',
  ),
  latin1,
);

function authorization(writeKey: string) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(basicAuth(writeKey)) },
    fc.constant(undefined),
    fc.constantFrom('Basic', 'Basic ', 'Basic !!!!', 'Basic Og==', 'Bearer x', 'basic   ', `Basic ${writeKey}`),
    fc.constantFrom(...injectionStrings).map((text) => basicAuth(text)),
    latin1,
    latin1.map((text) => `Basic ${text}`),
  );
}

/** POSTs to an ingest path with any body, encoding, content type and credentials. */
export function rawIngestRequest(writeKey: string): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      path: fc.constantFrom(...ingestPaths),
      body,
      contentType,
      contentEncoding,
      authorization: authorization(writeKey),
      matchEncoding: fc.boolean(),
    })
    .map((r) => {
      const headers: Record<string, string> = { 'Content-Type': r.contentType };
      const encoding = r.matchEncoding && r.body.gzipped ? 'gzip' : r.contentEncoding;
      if (encoding !== undefined) headers['Content-Encoding'] = encoding;
      if (r.authorization !== undefined) headers.Authorization = r.authorization;
      const label = `POST ${r.path} ${r.body.kind} (${JSON.stringify(headers)})`;
      return { path: r.path, headers, body: r.body.bytes, label };
    });
}
