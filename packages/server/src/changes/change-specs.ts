import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema } from '../contacts/contact-schemas.js';
import { adminRefusals, adminSecurity, json } from '../http/route-spec-parts.js';
import { changeTypes } from './change.js';

/** The change feed's routes, as OpenAPI describes them; change-routes.ts serves them. */

const tags = ['Changes'];
const refused = adminRefusals(false);
export const maxFeedLimit = 1000;

const types = z
  .string()
  .optional()
  .openapi({
    description: `Comma-separated change types to answer (others are skipped): ${changeTypes.join(', ')}`,
    example: 'contact.created,contact.updated',
  });

export const feedQuerySchema = z.object({
  after: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: 'A cursor this feed answered; from the start without one' }),
  limit: z.coerce.number().int().min(1).max(maxFeedLimit).default(100),
  types,
});

export const changeSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable: the same change always has this id', example: 'ch_1042' }),
    type: z.enum(changeTypes),
    contactId: z.string().nullable(),
    at: z.string().openapi({ format: 'date-time', description: 'When it was committed' }),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'What changed; its shape depends on the type (docs/changes.md)' }),
    cursor: z.string().openapi({ description: 'Where the feed stands once this change is read' }),
  })
  .openapi('Change');

export const feedPageSchema = z
  .object({
    data: z.array(changeSchema),
    cursor: z.string().openapi({ description: 'Pass as `after` for the next read; keep it as your position' }),
    hasMore: z.boolean().openapi({ description: 'More changes are there now: read again at once' }),
  })
  .openapi('ChangePage');

const expired = {
  410: json(
    errorSchema,
    '`cursor_expired`: retention has pruned changes after the cursor; resynchronise (docs/changes.md)',
  ),
};

export const listChangesRoute = createRoute({
  method: 'get',
  path: '/changes',
  tags,
  security: adminSecurity,
  summary: 'Changes to contacts and companies, and events stored, in the order they were committed',
  request: { query: feedQuerySchema },
  responses: { 200: json(feedPageSchema, 'A page of the feed'), ...refused, ...expired },
});

export const feedHeadRoute = createRoute({
  method: 'get',
  path: '/changes/head',
  tags,
  security: adminSecurity,
  summary: 'A cursor at the newest change: read the contacts, then the feed from here',
  responses: {
    200: json(z.object({ cursor: z.string() }).openapi('ChangeHead'), 'The cursor after the newest change'),
    401: refused[401],
  },
});

export const streamChangesRoute = createRoute({
  method: 'get',
  path: '/changes/stream',
  tags,
  security: adminSecurity,
  summary: 'The feed as a live stream (Server-Sent Events), resuming from Last-Event-ID',
  description:
    'Read with a streaming fetch that sends `Authorization: Bearer …` (a browser EventSource cannot). ' +
    'Each change is an SSE message: `id` its cursor, `event` its type, `data` the change as JSON. A ' +
    'comment is sent every 15 s while nothing happens. Resume after a drop with the `Last-Event-ID` ' +
    'header (or `after`). A token in the URL (`?token=`) is refused; the stream closes when its token is revoked.',
  request: {
    query: feedQuerySchema.omit({ limit: true }),
    headers: z.object({
      'Last-Event-ID': z.string().optional().openapi({ description: 'The id of the last message read' }),
    }),
  },
  responses: {
    200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...refused,
    ...expired,
  },
});
