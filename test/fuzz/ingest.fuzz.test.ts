import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineTestApp, openTestApp } from '../../packages/server/src/testing/test-app.js';
import { nastyJson, nastyString, ownEntries, prototypeKeys } from './adversarial-values.js';
import { prototypePollution, readClearAnswer } from './clear-answer.js';
import { createCaseTally, fuzzParameters, fuzzTimeoutMs } from './fuzz-settings.js';
import { breaker, type EventShape, validEventShape, wrongTypeValue } from './ingest-arbitraries.js';
import {
  buildBatch,
  checkBatchAnswer,
  hasOwnProtoKey,
  type IngestAnswer,
  mixedBatch,
  type SentBatch,
  type StoredRow,
} from './mixed-batches.js';
import { rawIngestRequest } from './raw-requests.js';
import { checkSqliteIndexes } from './sqlite-index-checks.js';

type Fields = Record<string, unknown>;

let t: EngineTestApp;
let adminToken: string;
let source: string | undefined;
const tally = createCaseTally();
let acceptedTotal = 0;
// Every run gets fresh messageIds and userIds, so a replayed (shrunk) case is never a duplicate.
let runNumber = 0;

beforeAll(async () => {
  // One app for the file, on the engine the matrix names.
  t = await openTestApp({}, { closedBy: 'caller' });
  adminToken = await t.createSecret('admin_token');
  source = (await t.store.credentials.findWriteKey(t.writeKey))?.source;
});
// By (source, message_id), the unique index: by message_id alone each look-up would scan the table.
const storedRow = async (messageId: unknown) =>
  (
    await t.query<StoredRow>(
      'SELECT type, body, message_id, user_id, anonymous_id FROM events WHERE source = ? AND message_id = ?',
      [source, messageId],
    )
  )[0];

afterAll(async () => {
  console.log(tally.report('ingest fuzz'));
  await t?.close();
});

/** A messageId no other event of the suite has, with an adversarial tail of at most 40 characters. */
function uniqueMessageId(label: string, tail: string): string {
  // A lone surrogate or a NUL makes a messageId invalid: the `messageId with a lone surrogate` breaker sends those.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is taken out
  return `f${runNumber}-${label}-${[...tail.replace(/[\ud800-\udfff\u0000]/gu, '')].slice(0, 40).join('')}`;
}

describe('ingest under adversarial input', () => {
  it(
    'answers a batch mixing valid and invalid events with exactly the invalid ones rejected, and stores the valid ones',
    async () => {
      await fc.assert(
        fc.asyncProperty(mixedBatch, async (request) => {
          tally.count('mixed batch');
          runNumber += 1;
          const sent = buildBatch(request, 'b', uniqueMessageId);
          const response = await t.post('/v1/batch', sent.body, { gzip: request.gzip });
          acceptedTotal += await checkBatchAnswer(request, sent, response, storedRow);
        }),
        fuzzParameters(200),
      );
    },
    fuzzTimeoutMs(200),
  );

  it(
    'answers mixed batches sent at once, each with its own rejections, and stores every valid event of each',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mixedBatch, { minLength: 2, maxLength: 6 }), async (requests) => {
          tally.count('concurrent mixed batches');
          runNumber += 1;
          const sent = requests.map((request, n) => buildBatch(request, `c${n}`, uniqueMessageId));
          // Sent in one turn of the event loop: the group-commit writer may store several in one transaction.
          const responses = await Promise.all(
            requests.map((request, n) => t.post('/v1/batch', sent[n]?.body, { gzip: request.gzip })),
          );
          for (const [n, request] of requests.entries()) {
            acceptedTotal += await checkBatchAnswer(request, sent[n] as SentBatch, responses[n] as Response, storedRow);
          }
        }),
        fuzzParameters(60),
      );
    },
    fuzzTimeoutMs(60),
  );

  it(
    'answers a single-event route 200 for a valid event and a 400 naming the problem for an invalid one',
    async () => {
      const routes: Record<EventShape['type'], string[]> = {
        identify: ['/v1/identify', '/v1/i'],
        track: ['/v1/track', '/v1/t'],
        page: ['/v1/page', '/v1/p'],
        screen: ['/v1/screen', '/v1/s'],
        group: ['/v1/group', '/v1/g'],
        alias: ['/v1/alias', '/v1/a'],
      };
      await fc.assert(
        fc.asyncProperty(
          validEventShape,
          fc.option(breaker, { nil: undefined }),
          fc.boolean(),
          async (shape, broken, short) => {
            tally.count('single-event route');
            runNumber += 1;
            const valid = ownEntries([...Object.entries(shape.fields), ['messageId', uniqueMessageId('s', '')]]);
            const event = broken ? broken.apply(valid) : valid;
            const path = routes[shape.type][short ? 1 : 0] as string;
            const { status, body } = await readClearAnswer(
              await t.post(path, event),
              `${path} ${JSON.stringify(event)}`,
            );
            // The route names the type, so a bad "type" (or a track-only field on another route) is no problem there.
            const routeIgnoresIt = broken && /^(type|track event)/.test(broken.name) && typeof event === 'object';
            if (!broken || routeIgnoresIt) {
              if (!broken) expect(status).toBe(200);
              if (status === 200) acceptedTotal += (body as unknown as IngestAnswer).accepted;
              return;
            }
            expect(status).toBe(400);
          },
        ),
        fuzzParameters(200),
      );
    },
    fuzzTimeoutMs(200),
  );

  it(
    'answers events whose known fields hold values of any type with a 200 that accepts or rejects each',
    async () => {
      const fields = ['type', 'userId', 'anonymousId', 'messageId', 'timestamp', 'sentAt', 'properties', 'traits'];
      const more = ['context', 'integrations', 'event', 'name', 'groupId', 'previousId', 'writeKey'];
      await fc.assert(
        fc.asyncProperty(
          validEventShape,
          fc.array(fc.tuple(fc.constantFrom(...fields, ...more), wrongTypeValue), { minLength: 1, maxLength: 4 }),
          async (shape, replacements) => {
            tally.count('wrong types in known fields');
            runNumber += 1;
            const event = ownEntries([
              ...Object.entries(shape.fields),
              ['messageId', uniqueMessageId('s', '')],
              ...replacements.map(([field, value]) => [field === 'messageId' ? 'messageId' : field, value] as const),
            ]);
            const { status, body } = await readClearAnswer(
              await t.post('/v1/batch', { batch: [event] }),
              `batch of ${JSON.stringify(event)}`,
            );
            expect(status).toBe(200);
            const answer = body as unknown as IngestAnswer;
            expect(answer.accepted + answer.deduplicated + answer.rejected.length).toBe(1);
            acceptedTotal += answer.accepted;
          },
        ),
        fuzzParameters(200),
      );
    },
    fuzzTimeoutMs(200),
  );

  it(
    'answers raw bodies of any bytes, encoding and content type with a clear answer',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawIngestRequest(t.writeKey), async (request) => {
          tally.count('raw body');
          const response = await t.app.request(request.path, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
          });
          const { status, body } = await readClearAnswer(response, request.label);
          if (status !== 200) return;
          const answer = body as unknown as IngestAnswer;
          expect(answer.success).toBe(true);
          // analytics-next's telemetry route acknowledges and stores nothing.
          if (request.path === '/v1/m') return;
          expect(Number.isSafeInteger(answer.accepted)).toBe(true);
          expect(Array.isArray(answer.rejected)).toBe(true);
          acceptedTotal += answer.accepted;
        }),
        fuzzParameters(300),
      );
    },
    fuzzTimeoutMs(300),
  );

  it(
    'keeps prototype keys in traits and properties as plain data, and lets none reach a prototype',
    async () => {
      const protoEntries = fc.array(
        fc.tuple(fc.constantFrom(...prototypeKeys), fc.oneof(nastyString, fc.integer(), fc.boolean(), nastyJson)),
        { minLength: 1, maxLength: 6 },
      );
      await fc.assert(
        fc.asyncProperty(protoEntries, protoEntries, async (traitEntries, propertyEntries) => {
          tally.count('prototype keys');
          runNumber += 1;
          const userId = `proto-${runNumber}`;
          const traits = ownEntries(traitEntries);
          const properties = ownEntries(propertyEntries);
          // Sent as text: JSON.stringify writes an own __proto__ key as the JSON key it is.
          const text = JSON.stringify({
            batch: [
              { type: 'identify', userId, messageId: `${userId}-i`, traits },
              { type: 'track', userId, event: 'E', messageId: `${userId}-t`, properties },
            ],
          });
          const { status, body } = await readClearAnswer(await t.post('/v1/batch', text), `proto ${text}`);
          expect(status).toBe(200);
          expect((body as unknown as IngestAnswer).accepted).toBe(2);
          acceptedTotal += 2;
          expect(prototypePollution()).toEqual([]);

          const storedTraits = (await storedBody(`${userId}-i`)).traits as Fields;
          const storedProperties = (await storedBody(`${userId}-t`)).properties as Fields;
          expectPlainData(traits, storedTraits);
          expectPlainData(properties, storedProperties);

          const contact = await t.app.request(`/v1/contacts/user_id:${userId}`, {
            headers: { Authorization: `Bearer ${adminToken}` },
          });
          const read = await readClearAnswer(contact, `GET contact ${userId}`);
          expect(read.status).toBe(200);
          const contactTraits = read.body.traits as Fields;
          expect(Object.getPrototypeOf(contactTraits)).toBe(Object.prototype);
          expect(hasOwnProtoKey(contactTraits)).toBe(false);
          for (const [key, value] of Object.entries(storedTraits)) {
            if (isScalar(value) && key !== 'email' && key !== 'name') expect(contactTraits[key]).toEqual(value);
          }
        }),
        fuzzParameters(100),
      );
    },
    fuzzTimeoutMs(100),
  );
});

describe('the database after the ingest fuzz', () => {
  it('holds exactly the accepted events, and (SQLite) passes an integrity check', async () => {
    if (t.sqlite) expect(t.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const [events] = await t.query<{ n: number | string }>('SELECT count(*) AS n FROM events');
    expect(Number(events?.n)).toBe(acceptedTotal);
    expect(prototypePollution()).toEqual([]);
  });

  checkSqliteIndexes(() => t);
});

/**
 * What the server stores for a string: lone surrogates replaced with U+FFFD, as UTF-8 requires,
 * and NUL, which PostgreSQL cannot store (ingest/sanitize-tree.ts).
 */
function wellFormed(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, item) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced
    typeof item === 'string' ? item.replace(/[\ud800-\udfff\u0000]/gu, '\ufffd') : item,
  );
}

async function storedBody(messageId: string): Promise<Fields> {
  const row = await storedRow(messageId);
  if (!row) throw new Error(`event ${messageId} was not stored`);
  return JSON.parse(row.body) as Fields;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Every sent key but the prototype-reaching ones is kept, scalars with their value. */
function expectPlainData(sent: Fields, stored: Fields): void {
  expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  expect(hasOwnProtoKey(stored)).toBe(false);
  for (const [key, value] of Object.entries(sent)) {
    if (key === '__proto__') continue;
    const reachesPrototype =
      key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value;
    if (reachesPrototype) {
      expect(Object.hasOwn(stored, key)).toBe(false);
      continue;
    }
    expect(Object.hasOwn(stored, key)).toBe(true);
    if (isScalar(value)) expect(stored[key]).toEqual(wellFormed(value));
  }
}
