import fc from 'fast-check';
import { expect } from 'vitest';
import { nastyString, ownEntries } from './adversarial-values.js';
import { prototypePollution, readClearAnswer } from './clear-answer.js';
import { breaker, validEnvelope, validEventShape } from './ingest-arbitraries.js';

/** Batches of valid and broken events, and the check of the server's answer to one. */

type Fields = Record<string, unknown>;

export interface IngestAnswer {
  success: boolean;
  accepted: number;
  deduplicated: number;
  rejected: { index: number; messageId: string | null; code: string; message: string }[];
}

const batchItem = fc.oneof(
  { weight: 2, arbitrary: validEventShape.map((shape) => ({ shape, broken: undefined })) },
  { weight: 1, arbitrary: fc.record({ shape: validEventShape, broken: breaker }) },
);

/** A batch of valid and broken events, each with an adversarial messageId tail, maybe shared fields and gzip. */
export const mixedBatch = fc.record({
  items: fc.array(fc.record({ item: batchItem, tail: nastyString, hasMessageId: fc.boolean() }), {
    minLength: 1,
    maxLength: 10,
  }),
  envelope: fc.option(validEnvelope, { nil: undefined }),
  gzip: fc.boolean(),
});
export type MixedBatch = typeof mixedBatch extends fc.Arbitrary<infer T> ? T : never;

export interface SentBatch {
  readonly events: unknown[];
  readonly body: Fields;
}

/** `messageIdOf` gives each event a messageId unique in the suite, from a label and an adversarial tail. */
export function buildBatch(
  request: MixedBatch,
  label: string,
  messageIdOf: (label: string, tail: string) => string,
): SentBatch {
  const events = request.items.map(({ item, tail, hasMessageId }, index) => {
    const withId = ownEntries([
      ...Object.entries(item.shape.fields),
      ['messageId', messageIdOf(`${label}.${index}`, tail)],
    ]);
    if (!item.broken) return withId;
    return item.broken.apply(hasMessageId ? withId : item.shape.fields);
  });
  return { events, body: { ...request.envelope, batch: events } };
}

/** A 200 that rejects exactly the broken events, by index and messageId, and every valid one stored as sent. */
export async function checkBatchAnswer(
  request: MixedBatch,
  sent: SentBatch,
  response: Response,
  storedRow: (messageId: unknown) => Promise<StoredRow | undefined>,
): Promise<number> {
  const { status, body } = await readClearAnswer(response, `batch ${JSON.stringify(sent.body).slice(0, 300)}`);
  expect(status).toBe(200);
  const answer = body as unknown as IngestAnswer;
  const invalid = request.items.flatMap(({ item }, index) => (item.broken ? [index] : []));
  expect(answer.rejected.map((rejection) => rejection.index)).toEqual(invalid);
  for (const rejection of answer.rejected) {
    expect(rejection.messageId).toBe(expectedRejectionId(sent.events[rejection.index]));
    expect(rejection.code).toMatch(/^[a-z_]+$/);
    expect(rejection.message.trim()).not.toBe('');
  }
  expect(answer.deduplicated).toBe(0);
  expect(answer.accepted).toBe(request.items.length - invalid.length);
  for (const [index, { item }] of request.items.entries()) {
    if (item.broken) continue;
    const event = sent.events[index] as Fields;
    const row = await storedRow(event.messageId);
    expect(row, `valid event ${index} (${String(event.messageId)}) was not stored`).toBeDefined();
    if (!row) continue;
    expect(row.type).toBe(item.shape.type);
    const stored = JSON.parse(row.body) as Fields;
    expect(hasOwnProtoKey(stored)).toBe(false);
    // What the store gives back must be what the body says: text it could not store would differ.
    expect(row.message_id).toBe(stored.messageId);
    expect(row.user_id).toBe(identifierText(stored.userId));
    expect(row.anonymous_id).toBe(identifierText(stored.anonymousId));
  }
  expect(prototypePollution()).toEqual([]);
  return answer.accepted;
}

function expectedRejectionId(event: unknown): string | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return null;
  const { messageId } = event as Fields;
  return typeof messageId === 'string' && messageId !== '' ? messageId : null;
}

export interface StoredRow {
  type: string;
  body: string;
  message_id: string;
  user_id: string | null;
  anonymous_id: string | null;
}

function identifierText(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : null;
}

export function hasOwnProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some(hasOwnProtoKey);
}
