import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  killStrayServers,
  type ServerProcess,
  startServerProcess,
  testWriteKey,
} from '../support/server-process.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import {
  type Answer,
  createHostileClient,
  expectClearAnswer,
  type HostileClient,
  refusal,
  rejections,
} from './hostile-client.js';

/**
 * The hardening issue's findings and more, sent to the real server (its own process, from source)
 * as an attacker holding the public write key, and a careless client, would send them.
 */
let dir: string;
let database: TestDatabase;
let server: ServerProcess;
let client: HostileClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-hostile-'));
  database = await openTestDatabase(dir);
  server = await startServerProcess(database.url, {
    WEFT_LOG_LEVEL: 'info',
    WEFT_HEADERS_TIMEOUT: '2s',
    WEFT_BODY_TIMEOUT: '2s',
  });
  client = createHostileClient(server.url);
}, 30_000);

afterAll(async () => {
  killStrayServers();
  await server?.exited;
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

let runId = 0;
/** A fresh id per call, so cases never share a contact. */
const fresh = (prefix: string) => `${prefix}-${process.pid}-${++runId}`;

async function batch(events: unknown[] | string): Promise<Answer> {
  const body = typeof events === 'string' ? events : { batch: events };
  const answer = await client.send('POST', '/v1/batch', { as: 'write key', body });
  expectClearAnswer(answer, 'POST /v1/batch');
  return answer;
}

async function contact(ref: string): Promise<Record<string, unknown> & { traits: Record<string, unknown> }> {
  const answer = await client.send('GET', `/v1/contacts/${encodeURIComponent(ref)}`, { as: 'admin' });
  expect(answer.status, `GET ${ref}`).toBe(200);
  return answer.json as Record<string, unknown> & { traits: Record<string, unknown> };
}

describe('events that could lock, pollute or merge a profile', () => {
  it.each<[string, (id: string) => string, RegExp]>([
    [
      'a day the calendar does not have',
      (id) => `{"type":"track","event":"E","userId":"${id}","timestamp":"2026-02-30T10:00:00Z"}`,
      /invalid_field timestamp holds 2026-02-30/,
    ],
    [
      'hour 24',
      (id) => `{"type":"track","event":"E","userId":"${id}","timestamp":"2026-02-27T24:00:00Z"}`,
      /invalid_field timestamp holds hour 24/,
    ],
    [
      'a userId with a lone surrogate',
      (id) => `{"type":"identify","userId":"${id}\\ud800"}`,
      /invalid_identifier userId holds a lone UTF-16 surrogate/,
    ],
    [
      'an anonymousId with a NUL',
      (id) => `{"type":"page","anonymousId":"${id}\\u0000"}`,
      /invalid_identifier anonymousId holds a control character/,
    ],
    [
      'an email with a newline',
      (id) => `{"type":"identify","userId":"${id}","traits":{"email":"a\\nb@x.io"}}`,
      /invalid_identifier traits.email holds a control character/,
    ],
    [
      'an external id with DEL',
      (id) =>
        `{"type":"track","event":"E","userId":"${id}","context":{"externalIds":[{"type":"crm","id":"7\\u007f"}]}}`,
      /invalid_identifier context.externalIds\[0\].id/,
    ],
    [
      'an alias to a lone surrogate',
      (id) => `{"type":"alias","previousId":"${id}","userId":"x\\udfff"}`,
      /invalid_identifier userId/,
    ],
    [
      'an event name of 256 characters',
      (id) => `{"type":"track","event":"${'x'.repeat(256)}","userId":"${id}"}`,
      /invalid_field event is 256 characters, over the 255-character limit/,
    ],
    [
      'an infinite number',
      (id) => `{"type":"track","event":"E","userId":"${id}","properties":{"price":1e999}}`,
      /invalid_field properties.price: a number too large to store/,
    ],
    [
      'a negative infinite trait',
      (id) => `{"type":"identify","userId":"${id}","traits":{"score":-1e999}}`,
      /invalid_field traits.score: a number too large/,
    ],
  ])('refuses %s, naming it, and keeps the valid neighbour', async (_label, bad, reason) => {
    const id = fresh('neighbour');
    const answer = await batch(
      `{"batch":[${bad(fresh('bad'))},{"type":"identify","userId":"${id}","traits":{"plan":"kept"}}]}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ accepted: 1 });
    expect(rejections(answer)).toEqual([expect.stringMatching(new RegExp(`^0 ${reason.source}`))]);
    expect((await contact(`user_id:${id}`)).traits.plan).toBe('kept');
  });

  it('stores a far-future event at its receive time, so a person can still edit the trait and later events win', async () => {
    const id = fresh('poison');
    const before = Date.now();
    await batch([{ type: 'identify', userId: id, traits: { name: 'Poisoned' }, timestamp: '9999-12-31T00:00:00Z' }]);
    const timeline = await client.send('GET', `/v1/contacts/user_id:${id}/events`, { as: 'admin' });
    const [stored] = (timeline.json as { data: Record<string, string>[] }).data;
    expect(Date.parse(stored?.timestamp ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(stored?.timestamp ?? '')).toBeLessThanOrEqual(Date.now());
    expect(stored?.originalTimestamp).toBe('9999-12-31T00:00:00Z');
    const edited = await client.send('PATCH', `/v1/contacts/user_id:${id}`, {
      as: 'admin',
      body: { traits: { name: 'Ada' } },
    });
    expect((edited.json as { traits: { name: string } }).traits.name).toBe('Ada');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await batch([{ type: 'identify', userId: id, traits: { name: 'Ada L.' }, timestamp: new Date().toISOString() }]);
    expect((await contact(`user_id:${id}`)).traits.name).toBe('Ada L.');
  });

  it('skips skew correction for a sentAt years after the timestamp, instead of making a year +010055', async () => {
    const id = fresh('skew');
    await batch([
      { type: 'track', event: 'E', userId: id, timestamp: '2020-01-01T00:00:00Z', sentAt: '9999-01-01T00:00:00Z' },
    ]);
    const timeline = await client.send('GET', `/v1/contacts/user_id:${id}/events`, { as: 'admin' });
    expect((timeline.json as { data: { timestamp: string }[] }).data[0]?.timestamp).toBe('2020-01-01T00:00:00.000Z');
  });

  it('never hands an erased contact id to the next contact', async () => {
    const first = fresh('erased');
    await batch([{ type: 'identify', userId: first }]);
    const erasedId = String((await contact(`user_id:${first}`)).id);
    expect((await client.send('DELETE', `/v1/contacts/${erasedId}`, { as: 'admin' })).status).toBe(200);
    const next = fresh('next');
    await batch([{ type: 'identify', userId: next }]);
    expect((await contact(`user_id:${next}`)).id).not.toBe(erasedId);
    expect((await client.send('GET', `/v1/contacts/${erasedId}`, { as: 'admin' })).status).toBe(404);
    const numeric = await client.send('GET', '/v1/contacts/1', { as: 'admin' });
    expect(numeric.status).toBe(400);
    expect(refusal(numeric)).toMatch(/^invalid_request: ref: numeric contact ids are retired/);
  });
});

describe('nothing readable without the admin token', () => {
  it('refuses every admin route the server describes, to no one and to the write key, with no data', async () => {
    const document = (await client.send('GET', '/openapi.json')).json as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
        if (!schemes.includes('adminToken')) continue;
        const concrete = path.replace('{ref}', 'user_id:someone').replace('{groupId}', 'acme').replace('{noteId}', '1');
        for (const as of ['anyone', 'write key'] as const) {
          const answer = await client.send(method.toUpperCase(), concrete, {
            as,
            body: method === 'get' ? undefined : {},
          });
          expectClearAnswer(answer, `${method} ${concrete} as ${as}`);
          expect(answer.status, `${method} ${concrete} as ${as}`).toBe(401);
          expect(Object.keys(answer.json as object)).toEqual(['error']);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('answers /metrics to no one without a token, nor to the write key; /health says only that it is up', async () => {
    expect((await client.send('GET', '/metrics')).status).toBe(401);
    expect((await client.send('GET', '/metrics', { as: 'write key' })).status).toBe(401);
    expect((await client.send('GET', '/metrics', { as: 'admin' })).status).toBe(200);
    expect((await client.send('GET', '/health')).json).toEqual({ status: 'ok', database: true });
  });

  it('answers an ingest call the same whether its identifiers belong to someone or to no one', async () => {
    const known = fresh('known');
    await batch([{ type: 'identify', userId: known, traits: { email: `${known}@example.com` } }]);
    const onKnown = await batch([
      { type: 'identify', anonymousId: fresh('a'), traits: { email: `${known}@example.com` } },
    ]);
    const onNobody = await batch([
      { type: 'identify', anonymousId: fresh('a'), traits: { email: `${fresh('n')}@example.com` } },
    ]);
    expect(onKnown.json).toEqual(onNobody.json);
    const erased = fresh('gone');
    await batch([{ type: 'identify', userId: erased }]);
    await client.send('DELETE', `/v1/contacts/user_id:${erased}?suppress=true`, { as: 'admin' });
    const onSuppressed = await batch([{ type: 'track', event: 'E', userId: erased }]);
    expect(onSuppressed.json).toEqual({ success: true, accepted: 1, deduplicated: 0, rejected: [] });
  });

  it('sends open CORS on ingest alone: an admin route gives another site nothing to read', async () => {
    const preflight = (path: string) =>
      client.send('OPTIONS', path, {
        headers: {
          Origin: 'https://evil.example',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
    expect((await preflight('/v1/batch')).headers.get('access-control-allow-origin')).toBe('*');
    for (const path of ['/v1/contacts', '/v1/contacts/email:a@b.c', '/v1/companies', '/v1/suppressions', '/metrics']) {
      const answer = await preflight(path);
      expectClearAnswer(answer, `OPTIONS ${path}`);
      expect(answer.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('keeps identifiers and credentials out of its log', async () => {
    const email = `${fresh('logged')}@example.com`;
    await client.send('OPTIONS', `/v1/contacts/email:${email}`, { headers: { Origin: 'https://x.example' } });
    await client.send('GET', `/v1/contacts/email:${email}`, { as: 'admin' });
    await client.send('GET', `/v1/unknown/${email}?writeKey=${testWriteKey}`);
    await client.send('GET', `/v1/projects/${testWriteKey}/settings`);
    await client.send('POST', `/v1/track?writeKey=${testWriteKey}`, {
      body: { writeKey: testWriteKey, userId: email, event: 'E' },
    });
    const log = server.output();
    expect(log).toContain('"msg":"request"');
    expect(log).not.toContain(email);
    expect(log).not.toContain(testWriteKey);
  });
});

describe('resources a client could hold', () => {
  it('refuses write bodies nested past the limit, naming the field, instead of answering 500', async () => {
    const ref = fresh('deep');
    await batch([{ type: 'identify', userId: ref }]);
    for (const depth of [65, 1000, 10_000]) {
      const body = `{"traits":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const answer = await client.send('PATCH', `/v1/contacts/user_id:${ref}`, { as: 'admin', body });
      expectClearAnswer(answer, `PATCH nested ${depth}`);
      expect(refusal(answer)).toBe('invalid_request: traits: nested deeper than 64 levels');
      const created = await client.send('POST', '/v1/contacts', {
        as: 'admin',
        body: `{"userId":"${fresh('n')}",${body.slice(1)}`,
      });
      expect(created.status).toBe(400);
    }
  });

  it('refuses a cursor with anything appended', async () => {
    for (let i = 0; i < 3; i++) await batch([{ type: 'identify', userId: fresh('page') }]);
    const first = (await client.send('GET', '/v1/contacts?limit=1', { as: 'admin' })).json as { nextCursor: string };
    for (const cursor of [`${first.nextCursor}==`, `${first.nextCursor}=`, `${first.nextCursor}%20`]) {
      const answer = await client.send('GET', `/v1/contacts?limit=1&cursor=${cursor}`, { as: 'admin' });
      expect(answer.status, cursor).toBe(400);
      expect(refusal(answer)).toMatch(/^invalid_cursor: /);
    }
  });

  it('closes a stalled body within its deadline while ingest keeps answering', async () => {
    const started = Date.now();
    const closed = new Promise<{ afterMs: number; answer: string }>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve({ afterMs: Date.now() - started, answer }));
      socket.on('error', () => {});
      socket.write(
        `POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth(testWriteKey)}\r\nContent-Length: 500\r\n\r\n{"batch":[`,
      );
    });
    const during = await batch([{ type: 'track', event: 'E', userId: fresh('during') }]);
    expect(during.status).toBe(200);
    const { afterMs, answer } = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(4_500);
  });
});

describe('a catalogue of malformed requests, each answered clearly', () => {
  it.each<[string, string, string, Record<string, string>, string | undefined]>([
    ['unknown Content-Encoding', 'POST', '/v1/batch', { 'Content-Encoding': 'br' }, '{"batch":[]}'],
    ['a body that claims gzip', 'POST', '/v1/batch', { 'Content-Encoding': 'gzip' }, 'not gzip'],
    ['JSON that ends early', 'POST', '/v1/batch', {}, '{"batch":[{"type":'],
    ['a batch that is an object', 'POST', '/v1/batch', {}, '{"batch":{"0":{}}}'],
    ['a body that is an array', 'POST', '/v1/track', {}, '[{"event":"E","userId":"u"}]'],
    ['duplicate keys', 'POST', '/v1/track', {}, '{"userId":"u","userId":{"x":1},"event":"E"}'],
    ['a __proto__ trait', 'POST', '/v1/identify', {}, '{"userId":"p","traits":{"__proto__":{"admin":true}}}'],
    ['a NUL in a key', 'POST', '/v1/identify', {}, '{"userId":"k","traits":{"a\\u0000b":1}}'],
    ['an 11,000-event batch', 'POST', '/v1/batch', {}, `{"batch":[${Array(11_000).fill('{}').join(',')}]}`],
    [
      'an event of 40 KB',
      'POST',
      '/v1/track',
      {},
      `{"userId":"u","event":"E","properties":{"x":"${'y'.repeat(40_000)}"}}`,
    ],
    ['a sentAt that is a number', 'POST', '/v1/batch', {}, '{"sentAt":1,"batch":[]}'],
    [
      'a context nested 70 levels',
      'POST',
      '/v1/batch',
      {},
      `{"context":${'{"a":'.repeat(70)}1${'}'.repeat(70)},"batch":[]}`,
    ],
  ])('%s', async (label, method, path, headers, body) => {
    const answer = await client.send(method, path, { as: 'write key', headers, body });
    expectClearAnswer(answer, label);
    if (answer.status === 200) return;
    expect(answer.status, label).toBeGreaterThanOrEqual(400);
  });

  it.each<[string, string, string, unknown]>([
    ['a ref that is SQL', 'GET', `/v1/contacts/${encodeURIComponent("user_id:' OR 1=1 --")}`, undefined],
    ['a ref with a path in it', 'GET', '/v1/contacts/..%2F..%2Fetc%2Fpasswd', undefined],
    ['a ref that is a contact id in capitals', 'GET', '/v1/contacts/CT_0123456789ABCDEF0123', undefined],
    [
      'a merge naming one contact twice',
      'POST',
      '/v1/contacts/merge',
      { primary: 'user_id:x', secondary: 'user_id:x' },
    ],
    [
      'a search with an unknown field',
      'POST',
      '/v1/contacts/search',
      { filters: [{ field: 'password', op: 'eq', value: 1 }] },
    ],
    ['a limit of a million', 'GET', '/v1/contacts?limit=1000000', undefined],
    ['a note edit with no body', 'PATCH', '/v1/contacts/user_id:x/notes/1', {}],
    ['an erasure with suppress=maybe', 'DELETE', '/v1/contacts/user_id:x?suppress=maybe', undefined],
  ])('as admin: %s', async (label, method, path, body) => {
    const answer = await client.send(method, path, { as: 'admin', body });
    expectClearAnswer(answer, label);
    expect(answer.status, label).toBeGreaterThanOrEqual(400);
  });
});
