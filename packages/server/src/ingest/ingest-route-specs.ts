import type { RouteConfig } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema } from '../contacts/contact-schemas.js';
import type { EventType } from '../storage/event-store.js';
import type { IngestRouteKind } from './handle-ingest.js';
import {
  batchBodySchema,
  eventSchemas,
  ingestResultSchema,
  sourceSettingsSchema,
  telemetryAckSchema,
  writeKeyParamSchema,
} from './ingest-schemas.js';

/** The ingest routes as OpenAPI describes them; ingest-routes.ts serves them. */

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
// text/plain too: analytics.js sends it from sendBeacon to skip a CORS preflight.
const eventBody = <T>(schema: T) => ({
  required: true,
  description: 'JSON, whatever the Content-Type; gzip it with `Content-Encoding: gzip`',
  content: { 'application/json': { schema }, 'text/plain': { schema } },
});
const encodingHeader = z.object({
  'Content-Encoding': z
    .enum(['gzip', 'x-gzip', 'identity'])
    .optional()
    .openapi({ description: 'The body limit counts inflated bytes', example: 'gzip' }),
});
const rateLimitHeaders = {
  'Retry-After': { schema: { type: 'integer' as const }, description: 'Seconds to wait' },
  'X-RateLimit-Reset': { schema: { type: 'integer' as const }, description: 'Epoch seconds when the limit resets' },
};
const refused = {
  401: json(errorSchema, 'No write key, or an unknown or revoked one'),
  413: json(errorSchema, 'body_too_large, too_many_events or batch_too_large: split the batch and retry the halves'),
  415: json(errorSchema, 'A Content-Encoding other than gzip'),
  429: { ...json(errorSchema, 'Too many requests for this write key'), headers: rateLimitHeaders },
  503: json(errorSchema, 'The events could not be stored; retry the request'),
};
// Either the Basic user name or `writeKey` in the body, which OpenAPI cannot name: hence `{}`.
const security: Record<string, string[]>[] = [{ writeKey: [] }, {}];
const tags = ['Ingestion'];

export const batchRoute = (path: string) =>
  createRoute({
    method: 'post',
    path,
    tags,
    security,
    summary: path === '/batch' ? 'Send a batch of events (Segment HTTP API)' : 'Send a batch of events (/v1/batch)',
    description:
      'Each event is checked on its own: a bad one is listed in `rejected` and the others are stored. ' +
      'Resending a batch is safe: events are deduplicated by messageId.',
    request: { headers: encodingHeader, body: eventBody(batchBodySchema) },
    responses: {
      200: json(ingestResultSchema, 'Every event stored, deduplicated or listed in `rejected`'),
      400: json(errorSchema, 'The body is not a JSON object, `batch` is not an array, or a shared field is invalid'),
      ...refused,
    },
  });

export const singleEventRoute = (path: string, type: EventType) =>
  createRoute({
    method: 'post',
    path,
    tags,
    security,
    summary: path === `/${type}` ? `Send one ${type} event` : `Send one ${type} event (/v1/${type})`,
    description: 'The path gives the type, so `type` may be left out. A bad event is a 400 naming the problem.',
    request: { headers: encodingHeader, body: eventBody(eventSchemas[type]) },
    responses: {
      200: json(ingestResultSchema, 'The event stored, or deduplicated by its messageId'),
      400: json(errorSchema, 'The body is not JSON, or the event is invalid: the code is the Rejection code'),
      ...refused,
    },
  });

export function ingestRouteSpec(path: string, kind: IngestRouteKind): RouteConfig {
  return kind === 'batch' ? batchRoute(path) : singleEventRoute(path, kind);
}

export const sourceSettingsRoute = createRoute({
  method: 'get',
  path: '/projects/{writeKey}/settings',
  tags,
  security: [],
  summary: 'The settings analytics.js loads before sending events',
  request: { params: writeKeyParamSchema },
  responses: {
    200: json(sourceSettingsSchema, 'Settings that send events and telemetry to this server'),
    401: json(errorSchema, 'Unknown or revoked write key'),
  },
});

export const telemetryRoute = createRoute({
  method: 'post',
  path: '/m',
  tags,
  security: [],
  summary: "analytics-next's own telemetry: acknowledged and dropped",
  responses: { 200: json(telemetryAckSchema, 'Always') },
});
