import { isIP } from 'node:net';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminGuard } from '../auth/admin-guard.js';
import type { CursorCodec } from '../contacts/cursor.js';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import type { AddressPolicy } from './ssrf-guard.js';
import type { SendWebhook } from './webhook-sender.js';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  deliveriesRoute,
  getWebhookRoute,
  listWebhooksRoute,
  patchWebhookRoute,
  replayRoute,
  rotateSecretRoute,
  testWebhookRoute,
  type WebhookView,
} from './webhook-specs.js';
import type { WebhookEndpoint, WebhookMessage, WebhookStore } from './webhook-store.js';
import { signedRequest } from './webhook-worker.js';

export interface WebhookRouteDeps {
  readonly webhooks: WebhookStore;
  readonly cursors: CursorCodec;
  readonly admin: AdminGuard;
  readonly now: () => number;
  /** Sends `POST /{id}/test` (the worker's sender: the same SSRF guard). */
  readonly send: SendWebhook;
  /** Refuses a numeric url host the guard would never reach, when the endpoint is saved. */
  readonly policy: AddressPolicy;
  /** An endpoint was saved or a replay queued: the worker looks at once (webhook-worker.ts). */
  readonly onQueueChanged?: (() => void) | undefined;
}

/** How long a rotated-out secret still signs. */
const rotationOverlapMs = 24 * 3_600_000;
const deliverySort = 'webhook-delivery';

/** The webhooks API, mounted under /v1; every route needs the admin token. */
export function createWebhookRoutes(deps: WebhookRouteDeps): OpenAPIHono<AppEnv> {
  const { webhooks, now } = deps;
  const routes = createApiRouter();
  deps.admin.guard(routes, ['/webhooks', '/webhooks/*']);
  const found = async (id: string) => {
    const endpoint = await webhooks.get(id);
    if (!endpoint) throw new ApiError(404, 'webhook_not_found', `no webhook has id ${id}`);
    return endpoint;
  };
  const checkUrl = (url: string | undefined) => {
    if (url === undefined) return;
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ApiError(400, 'invalid_request', 'url: must be http or https');
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !deps.policy.isAllowed(host)) {
      throw new ApiError(400, 'invalid_request', `url: ${host} is an address webhooks may not reach`);
    }
  };
  const changed = () => deps.onQueueChanged?.();
  /** The segment format carries stored events alone. */
  const checkFormat = (format: string | undefined, types: readonly string[] | undefined) => {
    if (format === 'segment' && (types?.length !== 1 || types[0] !== 'event.stored')) {
      throw new ApiError(
        400,
        'invalid_request',
        'types: the segment format sends stored events only: ["event.stored"]',
      );
    }
  };

  routes.openapi(listWebhooksRoute, async (c) => c.json({ data: (await webhooks.list()).map(toView) }, 200));

  routes.openapi(createWebhookRoute, async (c) => {
    const input = c.req.valid('json');
    checkUrl(input.url);
    checkFormat(input.format, input.types);
    const { endpoint, secret } = await webhooks.create({ ...input, isEnabled: input.enabled }, now());
    changed();
    return c.json({ ...toView(endpoint), secret }, 201);
  });

  routes.openapi(getWebhookRoute, async (c) => c.json(toView(await found(c.req.valid('param').id)), 200));

  routes.openapi(patchWebhookRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    checkUrl(input.url);
    const current = await found(id);
    checkFormat(input.format ?? current.format, input.types ?? current.types);
    const endpoint = await webhooks.update(id, { ...input, isEnabled: input.enabled }, now());
    if (!endpoint) throw new ApiError(404, 'webhook_not_found', `no webhook has id ${id}`);
    changed();
    return c.json(toView(endpoint), 200);
  });

  routes.openapi(deleteWebhookRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await webhooks.remove(id))) throw new ApiError(404, 'webhook_not_found', `no webhook has id ${id}`);
    return c.body(null, 204);
  });

  routes.openapi(rotateSecretRoute, async (c) => {
    const { id } = c.req.valid('param');
    const at = now();
    const secret = await webhooks.rotateSecret(id, at, at + rotationOverlapMs);
    if (!secret) throw new ApiError(404, 'webhook_not_found', `no webhook has id ${id}`);
    return c.json({ secret, previousExpiresAt: iso(at + rotationOverlapMs) }, 200);
  });

  routes.openapi(deliveriesRoute, async (c) => {
    const endpoint = await found(c.req.valid('param').id);
    const { limit, cursor } = c.req.valid('query');
    const before =
      cursor === undefined ? Number.MAX_SAFE_INTEGER : deps.cursors.read(cursor, deliverySort, 'integer').id;
    const rows = await webhooks.messages(endpoint.id, before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        data: page.map(toDelivery),
        nextCursor:
          rows.length > limit && last ? deps.cursors.encode({ sort: deliverySort, key: last.id, id: last.id }) : null,
      },
      200,
    );
  });

  routes.openapi(replayRoute, async (c) => {
    const endpoint = await found(c.req.valid('param').id);
    const { from, to } = c.req.valid('json');
    const [start, end] = [Date.parse(from), Date.parse(to)];
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      throw new ApiError(400, 'invalid_request', 'to: must be a date at or after from');
    }
    const queued = await webhooks.replay(endpoint.id, start, end, now());
    changed();
    return c.json({ queued }, 202);
  });

  routes.openapi(testWebhookRoute, async (c) => {
    const endpoint = await found(c.req.valid('param').id);
    const at = now();
    const body = JSON.stringify({ type: 'webhook.test', timestamp: iso(at), data: { webhookId: endpoint.id } });
    const secrets = await webhooks.secretsOf(endpoint.id, at);
    const outcome = await deps.send(signedRequest(endpoint.url, `msg_test_${at}`, body, secrets, at));
    return c.json(
      {
        delivered: outcome.status >= 200 && outcome.status < 300,
        status: outcome.status === 0 ? null : outcome.status,
        error: outcome.error ?? null,
        responseSnippet: outcome.snippet,
        durationMs: outcome.durationMs,
      },
      200,
    );
  });

  return routes;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The url as shown back: credentials in it (user:password@, a query string) are not. */
function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
}
const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : iso(epochMs));

function toView(endpoint: WebhookEndpoint): WebhookView {
  return {
    id: endpoint.id,
    url: shownUrl(endpoint.url),
    description: endpoint.description,
    types: [...endpoint.types],
    filters: {
      ...(endpoint.filters.audiences ? { audiences: [...endpoint.filters.audiences] } : {}),
      ...(endpoint.filters.eventTypes ? { eventTypes: [...endpoint.filters.eventTypes] as never } : {}),
      ...(endpoint.filters.eventNames ? { eventNames: [...endpoint.filters.eventNames] } : {}),
    },
    enabled: endpoint.isEnabled,
    disabledReason: endpoint.disabledReason,
    maxPerSecond: endpoint.maxPerSecond,
    format: endpoint.format,
    hasWriteKey: endpoint.hasWriteKey,
    consentCategory: endpoint.consentCategory,
    lastSuccessAt: isoOrNull(endpoint.lastSuccessAt),
    failingSince: isoOrNull(endpoint.failingSince),
    createdAt: iso(endpoint.createdAt),
    updatedAt: iso(endpoint.updatedAt),
  };
}

function toDelivery(message: WebhookMessage) {
  return {
    id: message.webhookId,
    changeId: `ch_${message.seq}`,
    type: message.type,
    contactId: message.contactId,
    status: message.status,
    attempts: message.attempts,
    lastStatus: message.lastStatus,
    lastError: message.lastError,
    responseSnippet: message.lastSnippet,
    lastAttemptAt: isoOrNull(message.lastAttemptAt),
    nextAttemptAt: message.status === 'pending' ? isoOrNull(message.nextAttemptAt) : null,
    createdAt: iso(message.createdAt),
  };
}
