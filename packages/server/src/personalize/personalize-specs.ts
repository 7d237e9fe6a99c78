import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema } from '../contacts/contact-schemas.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { MAX_POLICY_ENTRIES } from './publishable-key.js';

/** Publishable keys (admin) and the personalization API (pages), as OpenAPI describes them. */

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });
const names = (description: string, example: string[]) =>
  z.array(z.string().min(1).max(200)).max(MAX_POLICY_ENTRIES).openapi({ description, example });

const policyFields = {
  traits: names('Trait names it may reveal', ['plan', 'firstName']).optional(),
  computedTraits: names('Computed trait names it may reveal', ['orders_90d']).optional(),
  audiences: names('Audience ids whose membership it may reveal', ['aud_3kTq9vW1xYz0AbCd']).optional(),
  origins: names('Origins a browser may use it from (CORS); requests from other origins are refused', [
    'https://shop.example',
  ]).optional(),
};

export const publishableKeySchema = z
  .object({
    id: z.string().openapi({ example: 'pkey_5f2a9c0e1b7d' }),
    key: z.string().openapi({ description: 'The key itself: public, for pages', example: 'pk_Vx2…' }),
    name: z.string(),
    traits: z.array(z.string()),
    computedTraits: z.array(z.string()),
    audiences: z.array(z.string()),
    origins: z.array(z.string()),
    createdAt: isoTime,
    updatedAt: isoTime,
    revokedAt: isoTime.nullable(),
  })
  .openapi('PublishableKey');

const keyInputSchema = z
  .object({ name: z.string().min(1).max(200).openapi({ example: 'Shop pages' }), ...policyFields })
  .strict()
  .openapi('PublishableKeyInput');
const keyPatchSchema = z
  .object({ name: z.string().min(1).max(200).optional(), ...policyFields })
  .strict()
  .openapi('PublishableKeyPatch');

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'pkey_5f2a9c0e1b7d' }),
});
const notFound = { 404: json(errorSchema, 'No publishable key has this id') };
const common = { tags: ['Personalization'], security: adminSecurity };
const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const listKeysRoute = createRoute({
  ...common,
  method: 'get',
  path: '/publishable-keys',
  summary: 'Every publishable key, revoked ones included, oldest first',
  responses: { 200: json(z.object({ data: z.array(publishableKeySchema) }), 'The keys'), ...adminRefusals(false) },
});

export const createKeyRoute = createRoute({
  ...common,
  method: 'post',
  path: '/publishable-keys',
  summary: 'Makes a publishable key (pk_…) with what it may reveal and where from',
  request: body(keyInputSchema),
  responses: { 201: json(publishableKeySchema, 'The key'), ...adminRefusals(true) },
});

export const patchKeyRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/publishable-keys/{id}',
  summary: 'Changes a key’s name or allowlists (a list given replaces the old one)',
  request: { params: idParam, ...body(keyPatchSchema) },
  responses: { 200: json(publishableKeySchema, 'The key'), ...adminRefusals(true), ...notFound },
});

export const revokeKeyRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/publishable-keys/{id}',
  summary: 'Revokes a key: its requests and open streams are refused from then on',
  request: { params: idParam },
  responses: { 204: { description: 'Revoked' }, ...adminRefusals(false), ...notFound },
});

export const answerSchema = z
  .object({
    audiences: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .openapi({ description: 'The allowlisted audiences the visitor is in' }),
    traits: z.record(z.string(), z.unknown()).openapi({ description: 'The allowlisted traits it has' }),
    computed: z.record(z.string(), z.unknown()).openapi({ description: 'The allowlisted computed traits' }),
    streamTicket: z.string().optional().openapi({
      description: 'With `stream=true`: opens /v1/personalize/stream within 60 s',
    }),
  })
  .openapi('PersonalizeAnswer');

export const personalizeRoute = createRoute({
  tags: ['Personalization'],
  security: [{ publishableKey: [] }],
  method: 'get',
  path: '/personalize',
  summary: 'What a page may know about its own visitor: allowlisted audiences and traits',
  description:
    'A userId is answered only with an identity token (header `X-Weft-Identity-Token`) that the app’s backend signed for it; otherwise the anonymousId is, and only while its contact holds no userId and no email. Anything else answers the empty profile. ETag and 304; CORS for the key’s origins.',
  request: {
    query: z.object({
      key: z.string().max(200).openapi({ description: 'The publishable key (pk_…)' }),
      anonymousId: z.string().min(1).max(500).optional(),
      userId: z.string().min(1).max(500).optional().openapi({ description: 'Needs an identity token for it' }),
      stream: z.enum(['true', 'false']).optional().openapi({ description: 'true: add a stream ticket' }),
    }),
  },
  responses: {
    200: json(answerSchema, 'The answer (the empty profile when there is nothing it may say)'),
    304: { description: 'Unchanged since the ETag given in If-None-Match' },
    400: json(errorSchema, 'A parameter is invalid; the message names it'),
    401: json(errorSchema, 'Missing, unknown or revoked publishable key, or an identity token refused'),
    403: json(errorSchema, 'The Origin is not one the key allows'),
  },
});

export const personalizeStreamRoute = createRoute({
  tags: ['Personalization'],
  security: [],
  method: 'get',
  path: '/personalize/stream',
  summary: 'Server-Sent Events: a `profile` event with a new answer whenever the visitor’s changes',
  request: {
    query: z.object({ ticket: z.string().max(2000).openapi({ description: 'From GET /v1/personalize?stream=true' }) }),
  },
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'The stream' },
    401: json(errorSchema, 'A ticket that is forged, expired, or whose key was revoked'),
    403: json(errorSchema, 'Not from the origin the ticket was issued to'),
    429: json(errorSchema, 'Too many streams open, from this address or in all'),
  },
});
