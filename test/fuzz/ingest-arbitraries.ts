import fc from 'fast-check';
import {
  loneSurrogate,
  nastyJson,
  nastyKey,
  nastyNumber,
  nastyString,
  nested,
  ownEntries,
} from './adversarial-values.js';

type Fields = Record<string, unknown>;

const eventTypes = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof eventTypes)[number];

/** Fields the server reads; extra generated fields must not collide with them. */
const knownFields = new Set([
  'type',
  'userId',
  'anonymousId',
  'messageId',
  'timestamp',
  'sentAt',
  'properties',
  'traits',
  'context',
  'integrations',
  'event',
  'name',
  'groupId',
  'previousId',
  'writeKey',
]);

// Written here from docs/identity.md, not taken from the server: the text no identifier may hold.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const badIdentifierText = /[\u0000-\u001f\u007f]|[\ud800-\udfff]/u;

/** True when a field that identifies a person (or a company) holds text the server refuses. */
export function holdsBadIdentifierText(fields: Fields): boolean {
  const asObject = (value: unknown): Fields =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
  const context = asObject(fields.context);
  const externalIds = Array.isArray(context.externalIds) ? context.externalIds : [];
  const candidates = [
    fields.userId,
    fields.anonymousId,
    fields.previousId,
    fields.groupId,
    fields.type === 'identify' ? asObject(fields.traits).email : undefined,
    asObject(context.traits).email,
    ...externalIds.flatMap((external) => [asObject(external).id, asObject(external).type]),
  ];
  return candidates.some((value) => typeof value === 'string' && badIdentifierText.test(value));
}

const identifier: fc.Arbitrary<string | number> = fc.oneof(
  nastyString.filter((text) => text !== '' && !badIdentifierText.test(text)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const isoTimestamp = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString(),
      date.toISOString().replace('Z', '+02:00'),
      // No offset: read as UTC.
      date.toISOString().slice(0, 19),
      date.toISOString().slice(0, 10),
    ),
  );

/** A small object of adversarial entries, prototype keys included. */
const bag: fc.Arbitrary<Fields> = fc.array(fc.tuple(nastyKey, nastyJson), { maxLength: 5 }).map(ownEntries);

/** A generated valid event, without its messageId (the test gives each a unique one). */
export interface EventShape {
  readonly type: EventType;
  readonly fields: Fields;
}

/** An event every rule of the server accepts, with adversarial content wherever content is free. */
export const validEventShape: fc.Arbitrary<EventShape> = fc
  .record({
    type: fc.constantFrom(...eventTypes),
    userId: fc.option(identifier, { nil: undefined }),
    anonymousId: fc.option(identifier, { nil: undefined }),
    fallbackId: identifier,
    event: nastyString.filter((text) => text !== ''),
    name: fc.option(nastyString, { nil: undefined }),
    groupId: identifier,
    previousId: identifier,
    timestamp: fc.option(isoTimestamp, { nil: undefined }),
    sentAt: fc.option(isoTimestamp, { nil: undefined }),
    properties: fc.option(bag, { nil: undefined }),
    traits: fc.option(bag, { nil: undefined }),
    context: fc.option(bag, { nil: undefined }),
    extra: fc.array(fc.tuple(nastyKey, nastyJson), { maxLength: 3 }),
  })
  .map((g): EventShape => {
    const fields: Fields = ownEntries(g.extra.filter(([key]) => !knownFields.has(key)));
    fields.type = g.type;
    if (g.userId !== undefined) fields.userId = g.userId;
    if (g.anonymousId !== undefined) fields.anonymousId = g.anonymousId;
    if (g.userId === undefined && g.anonymousId === undefined) fields.anonymousId = g.fallbackId;
    if (g.type === 'track') fields.event = g.event;
    if ((g.type === 'page' || g.type === 'screen') && g.name !== undefined) fields.name = g.name;
    if (g.type === 'group') fields.groupId = g.groupId;
    if (g.type === 'alias') {
      fields.previousId = g.previousId;
      fields.userId = g.userId ?? g.fallbackId;
    }
    if (g.timestamp !== undefined) fields.timestamp = g.timestamp;
    if (g.sentAt !== undefined) fields.sentAt = g.sentAt;
    if (g.properties !== undefined) fields.properties = g.properties;
    if (g.traits !== undefined) fields.traits = g.traits;
    if (g.context !== undefined) fields.context = g.context;
    return { type: g.type, fields };
  })
  .filter((shape) => !holdsBadIdentifierText(shape.fields));

/** One change that makes any valid event invalid, and the code the server must give for it. */
export interface Breaker {
  readonly name: string;
  apply(event: Fields): unknown;
}

const notAnObject = fc.constantFrom<unknown>(null, 1, 'event', [], [{}], true);
const notAnIdentifier = fc.constantFrom<unknown>({}, [], true, false, ['u1'], { id: 1 });
const notATimestamp = fc.oneof(
  nastyString.filter((text) => !/^\d{4}-\d{2}-\d{2}/.test(text)),
  fc.constantFrom<unknown>(
    '2026-13-45T00:00:00Z',
    '2026-02-30T25:61:00Z',
    '9999-99-99',
    1_700_000_000_000,
    true,
    {},
    [],
  ),
);
const notAnEventType = fc.oneof(
  nastyString,
  fc.constantFrom<unknown>('Track', 'TRACK', 'identify ', 'batch', 0, {}, ['track'], true),
);

function withField(name: string, value: unknown) {
  return (event: Fields): Fields => {
    const copy = { ...event };
    Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  };
}

export const breaker: fc.Arbitrary<Breaker> = fc.oneof(
  notAnObject.map((value) => ({ name: `event is ${JSON.stringify(value)}`, apply: () => value })),
  notAnEventType.map((value) => ({ name: `type ${JSON.stringify(value)}`, apply: withField('type', value) })),
  fc.constant<Breaker>({
    name: 'no identity',
    apply(event) {
      const { userId: _user, anonymousId: _anonymous, ...rest } = event;
      return event.type === 'alias' ? rest : { ...rest, userId: '', anonymousId: null };
    },
  }),
  fc.tuple(fc.constantFrom('userId', 'anonymousId'), notAnIdentifier).map(([field, value]) => ({
    name: `${field} ${JSON.stringify(value)}`,
    // alias reads userId only: a bad anonymousId is no problem for it.
    apply: (event: Fields) => withField(event.type === 'alias' ? 'userId' : field, value)(event),
  })),
  fc
    .constantFrom<unknown>(42, {}, [], true, ['m'])
    .map((value) => ({ name: `messageId ${JSON.stringify(value)}`, apply: withField('messageId', value) })),
  fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate).map(([text, half]) => ({
    name: 'messageId with a lone surrogate',
    apply: withField('messageId', `${text}${half}`),
  })),
  fc
    .tuple(
      fc.constantFrom('userId', 'anonymousId'),
      fc.string({ maxLength: 6 }),
      fc.oneof(
        loneSurrogate,
        fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
        fc.constant('\u007f'),
      ),
    )
    .map(([field, text, bad]) => ({
      name: `${field} holding ${JSON.stringify(bad)}`,
      // alias reads userId only: a bad anonymousId is refused all the same, as an identifier.
      apply: withField(field, `${text}${bad}`),
    })),
  fc.integer({ min: 256, max: 400 }).map((length) => ({
    name: `track event name of ${length} characters`,
    apply: (event: Fields) => withField('event', '🧵'.repeat(length))({ ...event, type: 'track' }),
  })),
  fc
    .constantFrom('2026-02-30T10:00:00Z', '2025-02-29', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00Z')
    .map((day) => ({
      name: `timestamp ${day}, a day the calendar does not have`,
      apply: withField('timestamp', day),
    })),
  fc.integer({ min: 101, max: 400 }).map((length) => ({
    name: `messageId of ${length} characters`,
    apply: withField('messageId', '🧵'.repeat(length)),
  })),
  fc
    .tuple(
      fc.constantFrom('properties', 'traits', 'context', 'integrations'),
      fc.constantFrom<unknown>([], 'x', 1, true),
    )
    .map(([field, value]) => ({ name: `${field} ${JSON.stringify(value)}`, apply: withField(field, value) })),
  fc
    .tuple(fc.constantFrom('timestamp', 'sentAt'), notATimestamp)
    .map(([field, value]) => ({ name: `${field} ${JSON.stringify(value)}`, apply: withField(field, value) })),
  fc.constantFrom<unknown>('', 0, null, {}, ['E']).map((value) => ({
    name: `track event ${JSON.stringify(value)}`,
    apply: (event: Fields) => withField('event', value)({ ...event, type: 'track' }),
  })),
  fc.integer({ min: 64, max: 200 }).map((levels) => ({
    name: `properties ${levels} levels deep`,
    apply: withField('properties', nested(levels)),
  })),
  fc.integer({ min: 33_000, max: 40_000 }).map((bytes) => ({
    name: `properties of ${bytes} bytes`,
    apply: withField('properties', { blob: 'x'.repeat(bytes) }),
  })),
);

/** Values of every type for a field that expects one type. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(nastyJson, nastyNumber, nastyString);

/** A batch-level envelope the server must accept: small shared context, a valid sentAt. */
export const validEnvelope = fc.record(
  {
    context: bag,
    integrations: fc.dictionary(fc.string({ maxLength: 10 }), fc.boolean(), { maxKeys: 3 }),
    sentAt: isoTimestamp,
  },
  { requiredKeys: [] },
);
