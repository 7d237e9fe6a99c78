import { z } from '@hono/zod-openapi';

/** One schema per shape: these validate the requests and are what /openapi.json describes. */

export const lifecycleStages = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

export const contactSorts = [
  'lastSeenAt',
  '-lastSeenAt',
  'firstSeenAt',
  '-firstSeenAt',
  'createdAt',
  '-createdAt',
  'email',
  '-email',
] as const;
export type ContactSort = (typeof contactSorts)[number];

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', { example: { error: { code: 'invalid_request', message: 'limit: must be at most 500' } } });

export const contactSchema = z
  .object({
    id: z.string().openapi({
      description:
        'The contact id: `ct_` and 24 lowercase hex digits (the creation time, then 52 random bits); opaque. ' +
        'Once issued it never names another person, ' +
        'not after an erasure, a merge or a restore',
      example: 'ct_19cc1e2a3b45d6e7f8091a2b',
    }),
    email: z.string().nullable(),
    name: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    companies: z.array(z.object({ groupId: z.string(), name: z.string().nullable() })),
    lifecycleStage: z.enum(lifecycleStages).nullable(),
    owner: z.string().nullable(),
    tags: z.array(z.string()),
    traits: z.record(z.string(), z.unknown()),
    identities: z.array(z.object({ type: z.string(), value: z.string(), firstSeenAt: isoTime })),
    firstSeenAt: isoTime,
    lastSeenAt: isoTime,
    eventCount: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
    merges: z.array(z.object({ absorbedId: z.string(), messageId: z.string(), at: isoTime })),
    mergedFrom: z.string().optional().openapi({ description: 'The merged-away id the request named' }),
    audiences: z
      .array(z.object({ id: z.string(), name: z.string(), enteredAt: isoTime, backfill: z.boolean() }))
      .optional()
      .openapi({
        description:
          'On one contact (GET, PATCH, POST, merge), not in lists: the audiences it is in, oldest entry first; `backfill` when it ' +
          'entered because the audience was defined or edited (docs/audiences.md)',
      }),
    computedTraits: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          'On one contact, not in lists: every computed trait by name (kept apart from traits, which the contact sends); ' +
          'with no events in its window a count, sum or uniqueCount is 0 and the others null (docs/audiences.md)',
      }),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof contactSchema>;

const nextCursor = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const contactPageSchema = z.object({ data: z.array(contactSchema), nextCursor }).openapi('ContactPage');

export const storedEventSchema = z
  .record(z.string(), z.unknown())
  .openapi('StoredEvent', { description: 'The event as stored: messageId, type, timestamp, receivedAt, …' });

export const eventPageSchema = z.object({ data: z.array(storedEventSchema), nextCursor }).openapi('EventPage');

export const refParamSchema = z.object({
  ref: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'ref', in: 'path' },
      description:
        'A contact id (`ct_…`), or `type:value` of one of its identifiers (`user_id:42`, `email:ada@example.com`). ' +
        'The numeric ids of releases before 0.2 are refused (400): such an id may since name another person',
      example: 'user_id:42',
    }),
});

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(50)
  .openapi({
    param: { name: 'limit', in: 'query' },
    type: 'integer',
    minimum: 1,
    maximum: 500,
    description: 'Page size, 1–500',
    example: 50,
  });
const cursor = z
  .string()
  .min(1)
  .optional()
  .openapi({ param: { name: 'cursor', in: 'query' }, description: '`nextCursor` of the previous page' });

export const listQuerySchema = z.object({
  limit,
  cursor,
  sort: z
    .enum(contactSorts)
    .default('-lastSeenAt')
    .openapi({ param: { name: 'sort', in: 'query' }, description: '`-` sorts descending' }),
  q: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'q', in: 'query' }, description: 'Prefix of the email or the name' }),
});

export const timelineQuerySchema = z.object({
  limit,
  cursor,
  type: z
    .string()
    .min(1)
    .optional()
    .openapi({ param: { name: 'type', in: 'query' }, description: 'Only events of this type', example: 'track' }),
  event: z
    .string()
    .min(1)
    .optional()
    .openapi({
      param: { name: 'event', in: 'query' },
      description: 'Only track events of this name',
      example: 'Order Completed',
    }),
});

/** limit and cursor alone, for lists with one order (notes, companies add their own sort). */
export const pageQuerySchema = z.object({ limit, cursor });
