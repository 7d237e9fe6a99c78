import { createRoute } from '@hono/zod-openapi';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import {
  contactPageSchema,
  contactSchema,
  errorSchema,
  eventPageSchema,
  listQuerySchema,
  refParamSchema,
  timelineQuerySchema,
} from './contact-schemas.js';

/** The contact routes as OpenAPI describes them; contact-routes.ts binds handlers to them. */

const refused = adminRefusals(false);
const security = adminSecurity;
const tags = ['Contacts'];

export const listContactsRoute = createRoute({
  method: 'get',
  path: '/contacts',
  tags,
  security,
  summary: 'List contacts, a page at a time',
  request: { query: listQuerySchema },
  responses: { 200: json(contactPageSchema, 'A page of contacts'), ...refused },
});

export const getContactRoute = createRoute({
  method: 'get',
  path: '/contacts/{ref}',
  tags,
  security,
  summary: 'One contact, by id or by identifier',
  request: { params: refParamSchema },
  responses: {
    200: json(contactSchema, 'The contact; `mergedFrom` when the id asked for was merged into it'),
    ...refused,
    404: json(errorSchema, 'No contact matches'),
  },
});

export const contactTimelineRoute = createRoute({
  method: 'get',
  path: '/contacts/{ref}/events',
  tags,
  security,
  summary: "A contact's events, newest first, including those of profiles merged into it",
  request: { params: refParamSchema, query: timelineQuerySchema },
  responses: {
    200: json(eventPageSchema, 'A page of events as stored'),
    ...refused,
    404: json(errorSchema, 'No contact matches'),
  },
});
