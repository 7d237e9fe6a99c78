import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema, pageQuerySchema } from '../contacts/contact-schemas.js';
import { exactCountLimit, totalSchema } from '../contacts/contact-search-spec.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';

/** Companies come from group calls (identity's linkCompany); these routes only read them. */

export const companySorts = ['groupId', '-lastSeenAt'] as const;
export type CompanySort = (typeof companySorts)[number];

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

const companyFields = {
  groupId: z.string().openapi({ example: 'acme' }),
  name: z.string().nullable().openapi({ description: 'The `name` trait, when it is text' }),
  traits: z.record(z.string(), z.unknown()),
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
};

export const companySchema = z.object(companyFields).openapi('Company');
export type Company = z.infer<typeof companySchema>;

export const companyDetailSchema = z
  .object({
    ...companyFields,
    contacts: z.array(z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() })).openapi({
      description:
        'The first 100 live contacts linked to it, by id; email lower-cased. For all of them, page through ' +
        'POST /v1/contacts/search with the filter {field: "company", op: "eq", value: groupId}',
    }),
    contactTotal: totalSchema.openapi({
      description: `How many live contacts are linked to it: exact up to ${exactCountLimit}, then marked as an estimate`,
    }),
  })
  .openapi('CompanyDetail');
export type CompanyDetail = z.infer<typeof companyDetailSchema>;

export const companyPageSchema = z
  .object({ data: z.array(companySchema), nextCursor: z.string().nullable() })
  .openapi('CompanyPage');

export const companyListQuerySchema = pageQuerySchema.extend({
  sort: z
    .enum(companySorts)
    .default('-lastSeenAt')
    .openapi({ param: { name: 'sort', in: 'query' }, description: '`-` sorts descending' }),
});

const groupIdParamSchema = z.object({
  groupId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'groupId', in: 'path' }, description: 'As sent in group calls', example: 'acme' }),
});

const refused = adminRefusals(false);
const security = adminSecurity;
const tags = ['Companies'];

export const listCompaniesRoute = createRoute({
  method: 'get',
  path: '/companies',
  tags,
  security,
  summary: 'List companies, a page at a time',
  request: { query: companyListQuerySchema },
  responses: { 200: json(companyPageSchema, 'A page of companies'), ...refused },
});

export const getCompanyRoute = createRoute({
  method: 'get',
  path: '/companies/{groupId}',
  tags,
  security,
  summary: 'One company and its first 100 contacts',
  request: { params: groupIdParamSchema },
  responses: {
    200: json(companyDetailSchema, 'The company'),
    ...refused,
    404: json(errorSchema, 'No company has this groupId'),
  },
});
