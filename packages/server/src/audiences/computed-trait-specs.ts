import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema } from '../contacts/contact-schemas.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { aggregates } from './aggregate.js';

/** The computed traits API as OpenAPI describes it; docs/audiences.md says what each aggregate makes. */

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

const calculationSchema = z.unknown().openapi({
  description: `{ event, where?, aggregate (${aggregates.join(', ')}), property, within? } (docs/audiences.md)`,
  example: { event: 'Order Completed', aggregate: 'sum', property: 'revenue', within: { days: 90 } },
});

export const computedTraitSchema = z
  .object({
    id: z.string().openapi({ example: 'ctr_3kTq9vW1xYz0AbCd' }),
    name: z.string().openapi({ description: 'Rules and search read it as computed.<name>', example: 'revenue_90d' }),
    description: z.string().nullable(),
    calculation: calculationSchema,
    state: z.enum(['backfilling', 'evaluating', 'ready']).openapi({
      description:
        'backfilling: counting stored events; evaluating: working out every contact; values are partial until ready',
    }),
    progress: z.object({ processed: z.number().int(), total: z.number().int() }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('ComputedTrait');
export type ComputedTraitView = z.infer<typeof computedTraitSchema>;

const descriptionSchema = z.string().max(2000).nullable().optional();

export const computedTraitInputSchema = z
  .object({
    name: z.string().openapi({ description: '1 to 100 letters, digits, _ or -' }),
    description: descriptionSchema,
    calculation: calculationSchema,
  })
  .strict()
  .openapi('ComputedTraitInput');

export const computedTraitPatchSchema = z
  .object({ description: descriptionSchema, calculation: calculationSchema.optional() })
  .strict()
  .openapi('ComputedTraitPatch');

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'ctr_3kTq9vW1xYz0AbCd' }),
});

const notFound = { 404: json(errorSchema, 'No computed trait has this id') };
const common = { tags: ['Computed traits'], security: adminSecurity };

export const listComputedTraitsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/computed-traits',
  summary: 'Every computed trait, oldest first',
  responses: {
    200: json(z.object({ data: z.array(computedTraitSchema) }), 'The computed traits'),
    ...adminRefusals(false),
  },
});

export const createComputedTraitRoute = createRoute({
  ...common,
  method: 'post',
  path: '/computed-traits',
  summary: 'Defines a computed trait; it backfills from stored events in the background',
  request: { body: { required: true, content: { 'application/json': { schema: computedTraitInputSchema } } } },
  responses: { 201: json(computedTraitSchema, 'The computed trait, backfilling'), ...adminRefusals(true) },
});

export const getComputedTraitRoute = createRoute({
  ...common,
  method: 'get',
  path: '/computed-traits/{id}',
  summary: 'One computed trait, with its state and progress',
  request: { params: idParam },
  responses: { 200: json(computedTraitSchema, 'The computed trait'), ...adminRefusals(false), ...notFound },
});

export const patchComputedTraitRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/computed-traits/{id}',
  summary: 'Redescribes or recalculates a computed trait (its name cannot change); a new calculation backfills',
  request: {
    params: idParam,
    body: { required: true, content: { 'application/json': { schema: computedTraitPatchSchema } } },
  },
  responses: { 200: json(computedTraitSchema, 'The computed trait'), ...adminRefusals(true), ...notFound },
});

export const deleteComputedTraitRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/computed-traits/{id}',
  summary: 'Deletes a computed trait and every contact value of it',
  request: { params: idParam },
  responses: {
    204: { description: 'Deleted' },
    409: json(errorSchema, 'An audience names this computed trait'),
    ...adminRefusals(false),
    ...notFound,
  },
});
