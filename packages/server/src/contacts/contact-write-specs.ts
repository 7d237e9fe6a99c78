import { createRoute, z } from '@hono/zod-openapi';
import { adminRefusals, adminSecurity, contactNotFound, json } from '../http/route-spec-parts.js';
import { contactSchema, errorSchema, pageQuerySchema, refParamSchema } from './contact-schemas.js';
import {
  contactExistsSchema,
  createContactSchema,
  newNoteSchema,
  noteEditSchema,
  notePageSchema,
  noteSchema,
  patchContactSchema,
} from './contact-write-schemas.js';

/** The routes that change contacts and their notes, as OpenAPI describes them. */

// required: without it a body sent with another Content-Type would skip validation altogether.
const body = <T>(schema: T, example?: object) => ({
  required: true,
  content: { 'application/json': example ? { schema, example } : { schema } },
});
const refused = adminRefusals(true);
const notFound = contactNotFound;
const security = adminSecurity;
const tags = ['Contacts'];

export const patchContactRoute = createRoute({
  method: 'patch',
  path: '/contacts/{ref}',
  tags,
  security,
  summary: "Edit a contact's lifecycle stage, owner, tags or traits",
  request: { params: refParamSchema, body: body(patchContactSchema) },
  responses: { 200: json(contactSchema, 'The updated contact'), ...refused, ...notFound },
});

export const createContactRoute = createRoute({
  method: 'post',
  path: '/contacts',
  tags,
  security,
  summary: 'Create a contact by hand, from an email or a userId',
  request: { body: body(createContactSchema) },
  responses: {
    201: json(contactSchema, 'The new contact'),
    ...refused,
    409: json(contactExistsSchema, 'The email or userId already belongs to a contact: `existingId`'),
  },
});

export const addNoteRoute = createRoute({
  method: 'post',
  path: '/contacts/{ref}/notes',
  tags,
  security,
  summary: 'Write a note on a contact',
  request: {
    params: refParamSchema,
    body: body(newNoteSchema, { body: 'Asked for a demo of the export API', author: 'sam@example.com' }),
  },
  responses: { 201: json(noteSchema, 'The note'), ...refused, ...notFound },
});

export const listNotesRoute = createRoute({
  method: 'get',
  path: '/contacts/{ref}/notes',
  tags,
  security,
  summary: "A contact's notes, newest first, including those of profiles merged into it",
  request: { params: refParamSchema, query: pageQuerySchema },
  responses: { 200: json(notePageSchema, 'A page of notes'), ...refused, ...notFound },
});

const noteParamsSchema = refParamSchema.extend({
  noteId: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'expected a note id')
    .openapi({ param: { name: 'noteId', in: 'path' }, example: '7' }),
});

export const editNoteRoute = createRoute({
  method: 'patch',
  path: '/contacts/{ref}/notes/{noteId}',
  tags,
  security,
  summary: "Replace a note's text",
  description: 'The old text is overwritten, not kept. The note must be on the contact or on a profile merged into it.',
  request: { params: noteParamsSchema, body: body(noteEditSchema, { body: 'Demo booked for Tuesday' }) },
  responses: {
    200: json(noteSchema, 'The edited note'),
    ...refused,
    404: json(errorSchema, 'No contact matches, or the contact holds no such note'),
  },
});
