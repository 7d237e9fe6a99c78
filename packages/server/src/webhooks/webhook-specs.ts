import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema, pageQuerySchema } from '../contacts/contact-schemas.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { webhookTypes } from './webhook-subscription.js';

/** The webhooks API as OpenAPI describes it; docs/webhooks.md says what is sent and how to verify it. */

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

const filtersSchema = z
  .object({
    audiences: z.array(z.string().min(1).max(100)).max(100).optional().openapi({
      description: 'audience.entered / audience.exited of these audiences only',
    }),
    eventTypes: z
      .array(z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']))
      .max(6)
      .optional()
      .openapi({ description: 'event.stored of these event types only' }),
    eventNames: z.array(z.string().min(1).max(200)).max(100).optional().openapi({
      description: "event.stored of these names only (a track's event, a page's or screen's name)",
    }),
  })
  .strict()
  .openapi('WebhookFilters');

const urlSchema = z.string().url().max(2000).openapi({ example: 'https://hooks.example.com/weft' });
const typesSchema = z
  .array(z.enum(webhookTypes))
  .min(1)
  .max(webhookTypes.length)
  .openapi({
    description: 'The change types sent (docs/changes.md)',
    example: ['contact.created', 'audience.entered'],
  });
const formatSchema = z.enum(['standard', 'segment']).optional().openapi({
  description:
    'standard (default): Standard Webhooks, one change per request; segment: stored events as Segment /v1/batch bodies (types must be ["event.stored"])',
});
const writeKeySchema = z.string().min(1).max(500).nullable().optional().openapi({
  description: "The receiver's write key, sent as Basic auth with the segment format; never shown back",
});
const consentSchema = z.string().min(1).max(100).nullable().optional().openapi({
  description:
    'Stored events are forwarded only if their context.consent.categoryPreferences grants this category (events without consent are)',
  example: 'analytics',
});
const maxPerSecondSchema = z.number().int().min(1).max(10_000).nullable().optional().openapi({
  description: 'Deliveries started per second at most; null or absent for no limit',
});

export const webhookSchema = z
  .object({
    id: z.string().openapi({ example: 'wh_3kTq9vW1xYz0AbCd' }),
    url: z.string(),
    description: z.string().nullable(),
    types: z.array(z.string()),
    filters: filtersSchema,
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: 'Why Weft disabled it (410, 5 days of failures)' }),
    maxPerSecond: z.number().int().nullable(),
    format: z.enum(['standard', 'segment']),
    hasWriteKey: z.boolean(),
    consentCategory: z.string().nullable(),
    lastSuccessAt: isoTime.nullable(),
    failingSince: isoTime.nullable().openapi({ description: 'Attempts have failed since, none succeeding' }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('Webhook');
export type WebhookView = z.infer<typeof webhookSchema>;

export const webhookInputSchema = z
  .object({
    url: urlSchema,
    description: z.string().max(2000).nullable().optional(),
    types: typesSchema,
    filters: filtersSchema.optional(),
    enabled: z.boolean().optional(),
    maxPerSecond: maxPerSecondSchema,
    format: formatSchema,
    writeKey: writeKeySchema,
    consentCategory: consentSchema,
  })
  .strict()
  .openapi('WebhookInput');

export const webhookPatchSchema = z
  .object({
    url: urlSchema.optional(),
    description: z.string().max(2000).nullable().optional(),
    types: typesSchema.optional(),
    filters: filtersSchema.optional(),
    enabled: z.boolean().optional(),
    maxPerSecond: maxPerSecondSchema,
    format: formatSchema,
    writeKey: writeKeySchema,
    consentCategory: consentSchema,
  })
  .strict()
  .openapi('WebhookPatch');

const createdSchema = webhookSchema
  .extend({
    secret: z.string().openapi({
      description: 'The signing secret (whsec_…): shown once, here',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  })
  .openapi('WebhookCreated');

export const deliverySchema = z
  .object({
    id: z.string().openapi({ description: 'The webhook-id header: the same on every attempt and replay' }),
    changeId: z.string(),
    type: z.string(),
    contactId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed', 'gap']).openapi({
      description:
        'pending: to send or to retry; failed: retries spent (replay to send again); gap: changes the feed no longer held when the endpoint read on',
    }),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().openapi({ description: 'The HTTP status of the last attempt' }),
    lastError: z.string().nullable(),
    responseSnippet: z.string().nullable().openapi({ description: 'The first KB of the last response' }),
    lastAttemptAt: isoTime.nullable(),
    nextAttemptAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .openapi('WebhookDelivery');

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'wh_3kTq9vW1xYz0AbCd' }),
});
const notFound = { 404: json(errorSchema, 'No webhook has this id') };
const common = { tags: ['Webhooks'], security: adminSecurity };
const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const listWebhooksRoute = createRoute({
  ...common,
  method: 'get',
  path: '/webhooks',
  summary: 'Every webhook endpoint, oldest first',
  responses: { 200: json(z.object({ data: z.array(webhookSchema) }), 'The endpoints'), ...adminRefusals(false) },
});

export const createWebhookRoute = createRoute({
  ...common,
  method: 'post',
  path: '/webhooks',
  summary: 'Adds an endpoint; it is sent the changes committed from now on',
  request: body(webhookInputSchema),
  responses: { 201: json(createdSchema, 'The endpoint, with its secret'), ...adminRefusals(true) },
});

export const getWebhookRoute = createRoute({
  ...common,
  method: 'get',
  path: '/webhooks/{id}',
  summary: 'One endpoint',
  request: { params: idParam },
  responses: { 200: json(webhookSchema, 'The endpoint'), ...adminRefusals(false), ...notFound },
});

export const patchWebhookRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/webhooks/{id}',
  summary: 'Changes an endpoint; `enabled: true` re-enables one Weft disabled',
  request: { params: idParam, ...body(webhookPatchSchema) },
  responses: { 200: json(webhookSchema, 'The endpoint'), ...adminRefusals(true), ...notFound },
});

export const deleteWebhookRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/webhooks/{id}',
  summary: 'Deletes an endpoint and its queue',
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...adminRefusals(false), ...notFound },
});

export const rotateSecretRoute = createRoute({
  ...common,
  method: 'post',
  path: '/webhooks/{id}/rotate-secret',
  summary: 'A new secret; messages are signed with both until the old one expires (24 hours)',
  request: { params: idParam },
  responses: {
    200: json(z.object({ secret: z.string(), previousExpiresAt: isoTime }), 'The new secret, shown once'),
    ...adminRefusals(false),
    ...notFound,
  },
});

export const deliveriesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  summary: 'The messages of an endpoint, newest first, with where each delivery stands',
  request: { params: idParam, query: pageQuerySchema },
  responses: {
    200: json(z.object({ data: z.array(deliverySchema), nextCursor: z.string().nullable() }), 'A page'),
    ...adminRefusals(false),
    ...notFound,
  },
});

export const replayRoute = createRoute({
  ...common,
  method: 'post',
  path: '/webhooks/{id}/replay',
  summary: 'Sends again every change committed from `from` to `to` the endpoint subscribes to (same webhook-id)',
  request: {
    params: idParam,
    ...body(z.object({ from: isoTime, to: isoTime }).strict().openapi('WebhookReplay')),
  },
  responses: {
    202: json(z.object({ queued: z.number().int() }), 'How many messages were queued'),
    ...adminRefusals(true),
    ...notFound,
  },
});

export const testWebhookRoute = createRoute({
  ...common,
  method: 'post',
  path: '/webhooks/{id}/test',
  summary: 'Sends a signed `webhook.test` message now and answers what the receiver said',
  request: { params: idParam },
  responses: {
    200: json(
      z.object({
        delivered: z.boolean(),
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        responseSnippet: z.string(),
        durationMs: z.number().int(),
      }),
      'The attempt',
    ),
    ...adminRefusals(false),
    ...notFound,
  },
});
