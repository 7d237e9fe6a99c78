import { createRoute, z } from '@hono/zod-openapi';
import { contactSchema, errorSchema, pageQuerySchema } from '../contacts/contact-schemas.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';

/** The audiences API as OpenAPI describes it; the rule grammar is in docs/audiences.md. */

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

const ruleSchema = z.unknown().openapi({
  description: 'all | any | not of trait, event and audience leaves (docs/audiences.md)',
  example: {
    all: [
      { trait: 'plan', op: 'eq', value: 'pro' },
      { event: 'Order Completed', within: { days: 30 } },
    ],
  },
});

export const audienceSchema = z
  .object({
    id: z.string().openapi({ example: 'aud_3kTq9vW1xYz0AbCd' }),
    name: z.string(),
    description: z.string().nullable(),
    rule: ruleSchema,
    state: z.enum(['backfilling', 'evaluating', 'ready']).openapi({
      description:
        'backfilling: counting stored events; evaluating: every contact is being evaluated; membership is partial until ready',
    }),
    progress: z.object({ processed: z.number().int(), total: z.number().int() }),
    memberCount: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('Audience');
export type AudienceView = z.infer<typeof audienceSchema>;

const nameSchema = z.string().trim().min(1).max(200);
const descriptionSchema = z.string().max(2000).nullable().optional();

export const audienceInputSchema = z
  .object({ name: nameSchema, description: descriptionSchema, rule: ruleSchema })
  .strict()
  .openapi('AudienceInput');

export const audiencePatchSchema = z
  .object({ name: nameSchema.optional(), description: descriptionSchema, rule: ruleSchema.optional() })
  .strict()
  .openapi('AudiencePatch');

export const previewInputSchema = z.object({ rule: ruleSchema }).strict().openapi('AudiencePreviewInput');

export const previewSchema = z
  .object({
    size: z.number().int(),
    sample: z.array(contactSchema).openapi({ description: 'Up to ten matching contacts' }),
  })
  .openapi('AudiencePreview');

export const memberSchema = z
  .object({
    contact: contactSchema,
    enteredAt: isoTime,
    backfill: z.boolean().openapi({ description: 'Entered when the audience was defined or edited, not on an event' }),
  })
  .openapi('AudienceMember');

export const memberPageSchema = z
  .object({ data: z.array(memberSchema), nextCursor: z.string().nullable(), partial: z.boolean() })
  .openapi('AudienceMemberPage');

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'aud_3kTq9vW1xYz0AbCd' }),
});

const notFound = { 404: json(errorSchema, 'No audience has this id') };
const common = { tags: ['Audiences'], security: adminSecurity };

export const listAudiencesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/audiences',
  summary: 'Every audience, oldest first',
  responses: { 200: json(z.object({ data: z.array(audienceSchema) }), 'The audiences'), ...adminRefusals(false) },
});

export const createAudienceRoute = createRoute({
  ...common,
  method: 'post',
  path: '/audiences',
  summary: 'Defines an audience; it backfills from stored events in the background',
  request: { body: { required: true, content: { 'application/json': { schema: audienceInputSchema } } } },
  responses: { 201: json(audienceSchema, 'The audience, backfilling'), ...adminRefusals(true) },
});

export const getAudienceRoute = createRoute({
  ...common,
  method: 'get',
  path: '/audiences/{id}',
  summary: 'One audience, with its state, progress and member count',
  request: { params: idParam },
  responses: { 200: json(audienceSchema, 'The audience'), ...adminRefusals(false), ...notFound },
});

export const patchAudienceRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/audiences/{id}',
  summary: 'Renames or redefines an audience; a new rule emits entries and exits for the difference only',
  request: {
    params: idParam,
    body: { required: true, content: { 'application/json': { schema: audiencePatchSchema } } },
  },
  responses: { 200: json(audienceSchema, 'The audience'), ...adminRefusals(true), ...notFound },
});

export const deleteAudienceRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/audiences/{id}',
  summary: 'Deletes an audience and its memberships (no exits are emitted)',
  request: { params: idParam },
  responses: {
    204: { description: 'Deleted' },
    409: json(errorSchema, 'Another audience names this one'),
    ...adminRefusals(false),
    ...notFound,
  },
});

export const audienceMembersRoute = createRoute({
  ...common,
  method: 'get',
  path: '/audiences/{id}/members',
  summary: 'Members, a page at a time',
  request: { params: idParam, query: pageQuerySchema },
  responses: { 200: json(memberPageSchema, 'A page of members'), ...adminRefusals(false), ...notFound },
});

export const previewAudienceRoute = createRoute({
  ...common,
  method: 'post',
  path: '/audiences/preview',
  summary: 'How many contacts a rule matches now, and ten of them, saving nothing',
  request: { body: { required: true, content: { 'application/json': { schema: previewInputSchema } } } },
  responses: { 200: json(previewSchema, 'Size and sample'), ...adminRefusals(true) },
});
