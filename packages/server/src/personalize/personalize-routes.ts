import { randomBytes } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';
import { createApiRouter } from '../http/api-router.js';
import type { AppEnv } from '../http/app-env.js';
import { clientAddress } from '../http/client-address.js';
import { verifyIdentityToken } from './identity-token.js';
import { personalizeRoute, personalizeStreamRoute } from './personalize-specs.js';
import type { PersonalizeStore } from './personalize-store.js';
import type { ProfileHub } from './profile-hub.js';
import { type ProfileStreamTiming, streamProfile } from './profile-stream.js';
import type { PublishableKey } from './publishable-key.js';
import type { StreamCaps } from './stream-caps.js';
import { TICKET_LIFETIME_MS } from './stream-ticket.js';
import { answerFor, etagOf, visitorLookup } from './visitor-answer.js';

export interface PersonalizeRouteDeps {
  readonly personalize: PersonalizeStore;
  readonly hub: ProfileHub;
  readonly caps: StreamCaps;
  readonly now: () => number;
  /** WEFT_IDENTITY_SECRET: without it, every identity token is refused. */
  readonly identitySecret?: string | undefined;
  /** Seconds a browser may reuse an answer (WEFT_PERSONALIZE_MAX_AGE). */
  readonly maxAgeSeconds: number;
  readonly streamTiming: ProfileStreamTiming;
  readonly stopping?: AbortSignal | undefined;
}

const TOKEN_HEADER = 'x-weft-identity-token';
/** A stream for an anonymousId (no token to expire) still ends after an hour; the page asks for another. */
const ANONYMOUS_STREAM_MS = 3_600_000;

/** `GET /v1/personalize` and its stream: pages asking about their own visitor with a publishable key. */
export function createPersonalizeRoutes(deps: PersonalizeRouteDeps): OpenAPIHono<AppEnv> {
  const { personalize, now } = deps;
  const routes = createApiRouter();

  /** The key, refused unless known, unrevoked, and used from one of its origins. */
  async function keyFor(c: Context, given: string | undefined): Promise<PublishableKey> {
    if (!given) throw new ApiError(401, 'missing_publishable_key', 'key: give the publishable key (pk_…)');
    const key = await personalize.keys.findActive(given);
    if (!key) throw new ApiError(401, 'invalid_publishable_key', 'key: no such publishable key, or it was revoked');
    const origin = c.req.header('origin');
    // A request without Origin is not a browser's: CORS cannot protect it, and the answer rules do.
    if (origin !== undefined && !key.policy.origins.includes(origin)) {
      throw new ApiError(403, 'origin_not_allowed', `this key may not be used from ${origin}`);
    }
    if (origin !== undefined) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', 'ETag');
    }
    return key;
  }

  // The CORS preflight of a request with an identity token (a custom header): for the key's origins.
  routes.use('/personalize', async (c, next) => {
    if (c.req.method !== 'OPTIONS') return next();
    await keyFor(c, c.req.query('key'));
    c.header('Access-Control-Allow-Methods', 'GET');
    c.header('Access-Control-Allow-Headers', 'X-Weft-Identity-Token');
    c.header('Access-Control-Max-Age', '600');
    c.header('Vary', 'Origin');
    return c.body(null, 204);
  });

  routes.openapi(personalizeRoute, async (c) => {
    const query = c.req.valid('query');
    const key = await keyFor(c, query.key);
    const token = c.req.header(TOKEN_HEADER);
    let proven: { userId: string; expiresAt: number } | undefined;
    if (token !== undefined) {
      if (!deps.identitySecret) {
        throw new ApiError(401, 'invalid_identity_token', 'the server has no identity secret (WEFT_IDENTITY_SECRET)');
      }
      const check = verifyIdentityToken(token, deps.identitySecret, now());
      if (!check.ok) throw new ApiError(401, 'invalid_identity_token', check.reason);
      if (query.userId !== undefined && query.userId !== check.userId) {
        throw new ApiError(401, 'invalid_identity_token', 'the identity token is for another userId');
      }
      proven = check;
    }
    const lookup = visitorLookup({ anonymousId: query.anonymousId, provenUserId: proven?.userId });
    const profile = lookup ? await personalize.visitor(lookup.type, lookup.value) : undefined;
    const answer = answerFor(profile, lookup, key.policy);
    c.header('Vary', 'Origin, X-Weft-Identity-Token');
    if (query.stream === 'true') {
      c.header('Cache-Control', 'no-store');
      const streamTicket = lookup
        ? personalize.tickets.sign({
            nonce: randomBytes(12).toString('base64url'),
            keyId: key.id,
            type: lookup.type,
            value: lookup.value,
            isProven: lookup.isProven,
            origin: c.req.header('origin') ?? '',
            openBy: now() + TICKET_LIFETIME_MS,
            endsAt: proven?.expiresAt ?? now() + ANONYMOUS_STREAM_MS,
          })
        : undefined;
      return c.json({ ...answer, ...(streamTicket ? { streamTicket } : {}) }, 200);
    }
    const body = JSON.stringify(answer);
    const etag = etagOf(body);
    c.header('ETag', etag);
    c.header('Cache-Control', `private, max-age=${deps.maxAgeSeconds}`);
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
  });

  /** Nonces of the tickets used, with when each expires: a ticket opens one stream. */
  const usedTickets = new Map<string, number>();
  routes.openapi(personalizeStreamRoute, async (c) => {
    // Hono answers HEAD with the GET handler and drops the body unread: the stream would never end.
    if (c.req.raw.method === 'HEAD') throw new ApiError(405, 'method_not_allowed', 'the stream answers GET only');
    const ticket = personalize.tickets.read(c.req.valid('query').ticket, now());
    for (const [nonce, openBy] of usedTickets) if (openBy <= now()) usedTickets.delete(nonce);
    if (ticket && usedTickets.has(ticket.nonce)) {
      throw new ApiError(401, 'invalid_stream_ticket', 'ticket: already used; ask for a new one');
    }
    if (!ticket) {
      throw new ApiError(
        401,
        'invalid_stream_ticket',
        'ticket: forged, altered or older than 60 seconds; ask for a new one',
      );
    }
    const origin = c.req.header('origin') ?? '';
    if (origin !== ticket.origin) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        'the stream must be opened from the origin its ticket was issued to',
      );
    }
    const key = await personalize.keys.get(ticket.keyId);
    if (!key || key.revokedAt !== null) {
      throw new ApiError(401, 'invalid_publishable_key', 'the ticket’s publishable key was revoked');
    }
    if (origin !== '') c.header('Access-Control-Allow-Origin', origin);
    const slot = deps.caps.open(clientAddress(c));
    if (!slot.ok) throw new ApiError(429, 'too_many_streams', slot.message);
    usedTickets.set(ticket.nonce, ticket.openBy);
    return streamProfile(
      c,
      {
        personalize,
        hub: deps.hub,
        now,
        timing: deps.streamTiming,
        stopping: deps.stopping,
        onEnd: slot.release,
      },
      ticket,
    ) as never;
  });

  return routes;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
