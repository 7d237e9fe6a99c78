import { createRoute, z } from '@hono/zod-openapi';
import { contactSchema, contactSorts, errorSchema } from './contact-schemas.js';
import { filterFields, filterOps, maxInValues } from './search-filter-spec.js';

/** POST /v1/contacts/search as OpenAPI describes it: its body, its page, and their limits. */

export const maxFilters = 20;
/** Past this many matches the total stops counting: an exact count of millions is a full scan per page. */
export const exactCountLimit = 10_000;

const filterSchema = z
  .object({
    // Plain strings here: search-filters.ts checks field, op and value together, so that every
    // problem with a filter is reported the same way, as `filters[i].<part>: …`.
    field: z.string().openapi({ description: `One of ${filterFields.join(', ')}`, example: 'traits.plan' }),
    op: z.string().openapi({ enum: [...filterOps], example: 'eq' }),
    value: z
      .unknown()
      .optional()
      .openapi({
        description: `A string, number or boolean; an array of 1–${maxInValues} for in; none for exists and notExists`,
      }),
  })
  .strict()
  .openapi('SearchFilter');

export const searchBodySchema = z
  .object({
    filters: z.array(filterSchema).max(maxFilters).default([]),
    sort: z.enum(contactSorts).default('-lastSeenAt').openapi({ description: '`-` sorts descending' }),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).optional().openapi({ description: 'nextCursor of the previous page, same body' }),
  })
  .strict()
  .openapi('ContactSearch', {
    example: { filters: [{ field: 'tags', op: 'contains', value: 'vip' }], sort: '-lastSeenAt', limit: 50 },
  });
export type SearchBody = z.infer<typeof searchBodySchema>;

export const totalSchema = z.object({
  value: z.number().int(),
  isEstimate: z
    .boolean()
    .openapi({ description: `true when more than ${exactCountLimit} match: value is then ${exactCountLimit + 1}` }),
});
/** A total counted up to `limit` + 1, as `totalSchema` describes it. */
export function countedTotal(value: number, limit = exactCountLimit): z.infer<typeof totalSchema> {
  return { value, isEstimate: value > limit };
}

export const searchPageSchema = z
  .object({
    data: z.array(contactSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor`, with the same body, for the next page' }),
    total: totalSchema,
  })
  .openapi('ContactSearchPage');
export type SearchPage = z.infer<typeof searchPageSchema>;

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const searchContactsRoute = createRoute({
  method: 'post',
  path: '/contacts/search',
  tags: ['Contacts'],
  security: [{ adminToken: [] }],
  summary: 'Contacts matching every filter, a page at a time, with their total',
  request: { body: { required: true, content: { 'application/json': { schema: searchBodySchema } } } },
  responses: {
    200: json(searchPageSchema, 'A page of matching contacts'),
    400: json(errorSchema, 'The body is invalid; the message names the field, such as filters[2].value'),
    401: json(errorSchema, 'Missing, unknown or revoked admin token'),
  },
});
