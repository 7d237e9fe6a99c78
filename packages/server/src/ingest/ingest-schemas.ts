import { z } from '@hono/zod-openapi';
import type { eventTypes } from '../storage/event-store.js';
import type { EventProblem } from './event-problem.js';
import type { Rejection } from './handle-ingest.js';
import { maxMessageIdLength } from './validate-event.js';

/**
 * What /openapi.json says the ingest routes take and answer. The requests are checked by
 * validate-event.ts, per event, so that one bad event never fails its batch; these schemas
 * describe the same rules, and ingest-schemas.test.ts holds them to what the routes do.
 */

const identifier = z.union([z.string().min(1), z.number()]);
const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });
const freeObject = z.record(z.string(), z.unknown());

const commonFields = {
  userId: identifier.optional().openapi({ description: 'Your id for the person; this or anonymousId is required' }),
  anonymousId: identifier.optional().openapi({ description: 'A device or cookie id; this or userId is required' }),
  messageId: z
    .string()
    .max(maxMessageIdLength)
    .optional()
    .openapi({ description: 'Deduplicates retries: an event is stored once per source and messageId' }),
  timestamp: isoTime.optional().openapi({ description: 'When it happened; corrected for the client clock via sentAt' }),
  sentAt: isoTime.optional(),
  context: freeObject.optional(),
  integrations: freeObject.optional(),
  writeKey: z
    .string()
    .optional()
    .openapi({ description: 'For clients that cannot send headers (sendBeacon); never stored' }),
};

function eventSchema<T extends z.ZodRawShape>(type: (typeof eventTypes)[number], fields: T, example: object) {
  const name = `${type[0]?.toUpperCase()}${type.slice(1)}Event`;
  return z
    .looseObject({ type: z.literal(type).optional(), ...commonFields, ...fields })
    .openapi(name, { description: 'Other fields are kept as sent', example });
}

export const identifyEventSchema = eventSchema(
  'identify',
  { traits: freeObject.optional() },
  { userId: 'u_42', traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' } },
);
export const trackEventSchema = eventSchema(
  'track',
  { event: z.string().min(1), properties: freeObject.optional() },
  { userId: 'u_42', event: 'Order Completed', properties: { revenue: 42.5, currency: 'EUR' } },
);
export const pageEventSchema = eventSchema(
  'page',
  { name: z.string().nullable().optional(), properties: freeObject.optional() },
  { anonymousId: 'anon-7f3c', name: 'Pricing', properties: { path: '/pricing' } },
);
export const screenEventSchema = eventSchema(
  'screen',
  { name: z.string().nullable().optional(), properties: freeObject.optional() },
  { userId: 'u_42', name: 'Settings' },
);
export const groupEventSchema = eventSchema(
  'group',
  { groupId: identifier, traits: freeObject.optional() },
  { userId: 'u_42', groupId: 'acme', traits: { name: 'Acme Inc', plan: 'enterprise' } },
);
export const aliasEventSchema = eventSchema(
  'alias',
  { previousId: identifier, userId: identifier },
  { previousId: 'anon-7f3c', userId: 'u_42' },
);

export const eventSchemas = {
  identify: identifyEventSchema,
  track: trackEventSchema,
  page: pageEventSchema,
  screen: screenEventSchema,
  group: groupEventSchema,
  alias: aliasEventSchema,
} as const;

export const batchBodySchema = z
  .looseObject({
    batch: z
      .array(z.union(Object.values(eventSchemas)))
      .openapi({ description: 'Events, each with its `type`; each is accepted or rejected on its own' }),
    sentAt: isoTime.optional().openapi({ description: 'Applies to events without their own' }),
    context: freeObject.optional().openapi({ description: 'Merged into each event (the event wins)' }),
    integrations: freeObject.optional().openapi({ description: 'Merged into each event (the event wins)' }),
    writeKey: commonFields.writeKey,
  })
  .openapi('Batch', {
    example: {
      batch: [
        { type: 'identify', userId: 'u_42', traits: { email: 'ada@example.com' } },
        { type: 'track', userId: 'u_42', event: 'Order Completed', properties: { revenue: 42.5 } },
      ],
      sentAt: '2026-03-01T12:00:00.000Z',
    },
  });

export const eventProblemCodes = [
  'invalid_event',
  'invalid_type',
  'missing_identity',
  'missing_field',
  'invalid_field',
  'invalid_message_id',
  'invalid_identifier',
  'event_too_large',
  'event_too_deep',
] as const satisfies readonly EventProblem['code'][];

export const rejectionSchema = z
  .object({
    index: z.number().int().openapi({ description: 'Position in `batch` (0 on single-event routes)' }),
    messageId: z.string().nullable(),
    code: z.enum(eventProblemCodes),
    message: z.string(),
  })
  .openapi('Rejection');

export const ingestResultSchema = z
  .object({
    success: z.literal(true),
    accepted: z.number().int().openapi({ description: 'Events stored by this request' }),
    deduplicated: z
      .number()
      .int()
      .openapi({ description: 'Events whose messageId was already stored: not stored again, not an error' }),
    rejected: z
      .array(rejectionSchema)
      .openapi({ description: 'Events refused, each with the reason; the others were kept. Do not resend them' }),
  })
  .openapi('IngestResult', {
    example: {
      success: true,
      accepted: 1,
      deduplicated: 0,
      rejected: [
        { index: 1, messageId: 'm-2', code: 'missing_identity', message: 'track needs a userId or an anonymousId' },
      ],
    },
  });

export const sourceSettingsSchema = z
  .looseObject({
    integrations: z.object({
      'Segment.io': z.object({ apiKey: z.string(), apiHost: z.string(), protocol: z.string() }),
    }),
    plan: freeObject,
    metrics: z.object({ sampleRate: z.number(), host: z.string() }),
  })
  .openapi('SourceSettings', { description: 'The settings analytics.js fetches from its CDN; point `cdnURL` here' });

export const writeKeyParamSchema = z.object({
  writeKey: z
    .string()
    .min(1)
    .openapi({ param: { name: 'writeKey', in: 'path' }, example: 'wk_live_example' }),
});

export const telemetryAckSchema = z.object({ success: z.literal(true) });

// Fails to compile when the handler's rejections or the problem codes change without this file.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rejectionMatches: Same<Rejection, z.infer<typeof rejectionSchema>> = true;
const codesMatch: Same<EventProblem['code'], (typeof eventProblemCodes)[number]> = true;
void rejectionMatches;
void codesMatch;
