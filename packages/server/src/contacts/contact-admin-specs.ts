import { createRoute, z } from '@hono/zod-openapi';
import { adminRefusals, adminSecurity, contactNotFound, json } from '../http/route-spec-parts.js';
import { contactExportSchema, eraseQuerySchema, erasureSchema } from '../privacy/privacy-schemas.js';
import { contactSchema, errorSchema, refParamSchema } from './contact-schemas.js';

/** Merging and the privacy duties (erase, export), as OpenAPI describes them. */

const refused = adminRefusals(true);
const notFound = contactNotFound;
const security = adminSecurity;
const tags = ['Contacts'];

export const mergeRequestSchema = z
  .strictObject({
    primary: z.string().min(1).openapi({
      description: 'The contact that stays: an id or `type:value`',
      example: 'ct_19cc1e2a3b45d6e7f8091a2b',
    }),
    secondary: z.string().min(1).openapi({
      description: 'The contact merged into it; its id then answers the primary',
      example: 'email:ada@old.example',
    }),
  })
  .openapi('ContactMerge');

export const mergeContactsRoute = createRoute({
  method: 'post',
  path: '/contacts/merge',
  tags,
  security,
  summary: 'Merge two contacts into one, as an admin decided',
  description:
    "Identifiers, events, notes and companies of the secondary move to the primary; traits merge newest-wins; the primary's lifecycle stage and owner stay (the secondary's fill gaps) and tags are joined. Recorded in the primary's `merges`.",
  request: { body: { required: true, content: { 'application/json': { schema: mergeRequestSchema } } } },
  responses: {
    200: json(contactSchema, 'The merged contact'),
    ...refused,
    404: json(errorSchema, 'No contact matches primary or secondary'),
    409: json(
      errorSchema,
      'merge_refused: the merge would pass the merge or identifier caps of the identity rules; contact_changed: primary or secondary was merged away or erased while the merge ran',
    ),
  },
});

export const eraseContactRoute = createRoute({
  method: 'delete',
  path: '/contacts/{ref}',
  tags,
  security,
  summary: 'Erase a contact and everything stored about it (right to erasure)',
  description:
    'Removes the contact, the profiles merged into it, their identifiers, events, notes, edits, merge records and company links (the companies stay), with secure_delete on, then empties the write-ahead log; answers 200 only once none of their bytes is left in the database files. A tombstone of keyed hashes of its identifiers remains: events for them timestamped before the erasure are discarded at ingest; newer ones start a new, empty contact. With `suppress=true` every later event for them is acknowledged and not stored.',
  request: { params: refParamSchema, query: eraseQuerySchema },
  responses: {
    200: json(erasureSchema, 'What was erased'),
    ...refused,
    ...notFound,
    503: json(
      errorSchema,
      '`erasure_not_final`: the rows are deleted, but another connection kept the write-ahead log, which holds older copies of their pages, from being emptied; the server keeps trying',
    ),
  },
});

export const exportContactRoute = createRoute({
  method: 'get',
  path: '/contacts/{ref}/export',
  tags,
  security,
  summary: 'Everything stored about a contact, as one JSON document (right of access)',
  request: { params: refParamSchema },
  responses: { 200: json(contactExportSchema, 'The contact, its notes, edits and events'), ...refused, ...notFound },
});
