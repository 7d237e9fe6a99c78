import type { Context } from 'hono';
import { authenticateSource } from '../auth/authenticate-source.js';
import type { WriteKeyOwner } from '../auth/credential-store.js';
import { writeKeyFromBasicAuth, writeKeyFromBody } from '../auth/write-key-from-request.js';
import { ApiError } from '../http/api-error.js';
import { parseJsonBody } from '../http/parse-json-body.js';
import { readBody } from '../http/read-body.js';
import type { EventType, InsertOutcome, NewEvent } from '../storage/event-store.js';
import type { EventProblem } from './event-problem.js';
import type { IngestDeps } from './ingest-deps.js';
import type { IngestLimits } from './limits.js';
import { prepareEvent } from './prepare-event.js';
import type { RateLimiter } from './rate-limit.js';
import { readEnvelope } from './read-envelope.js';

export interface Rejection {
  readonly index: number;
  readonly messageId: string | null;
  readonly code: EventProblem['code'];
  readonly message: string;
}

/** `batch` for /v1/batch and /v1/b, else the type a single-event route implies. */
export type IngestRouteKind = 'batch' | EventType;

export function createIngestHandler(deps: IngestDeps, kind: IngestRouteKind) {
  return async (c: Context): Promise<Response> => {
    // The receive time anchors clock-skew correction, so it is taken before the body is read.
    const receivedAt = deps.now();
    const headerKey = writeKeyFromBasicAuth(c.req.header('authorization'));
    // A bad or throttled key in the header is refused before we spend time reading, inflating and
    // parsing the body; a key sent in the body can only be checked once the body is parsed.
    let owner: WriteKeyOwner | undefined;
    if (headerKey) {
      owner = await authenticateSource(deps.credentials, headerKey);
      if (deps.rateLimiter) await enforceRateLimit(deps.rateLimiter, owner.credentialId);
    }
    const body = parseJsonBody(await readBody(c.req.raw, deps.limits.maxBodyBytes));
    if (!owner) {
      owner = await authenticateSource(deps.credentials, writeKeyFromBody(body));
      if (deps.rateLimiter) await enforceRateLimit(deps.rateLimiter, owner.credentialId);
    }

    const { envelope, events } = readEnvelope(body, kind === 'batch', deps.limits);
    const ctx = {
      source: owner.source,
      writeKeyKind: owner.writeKeyKind,
      receivedAt,
      limits: deps.limits,
      envelope,
      newMessageId: deps.newMessageId,
      routeType: kind === 'batch' ? undefined : kind,
    };
    const rows: NewEvent[] = [];
    const rejected: Rejection[] = [];
    let storedBytes = 0;
    events.forEach((raw, index) => {
      const prepared = prepareEvent(raw, ctx);
      if (!prepared.ok) {
        rejected.push({ index, messageId: prepared.messageId, ...prepared.problem });
        return;
      }
      rows.push(prepared.event);
      // Checked as we go, so an oversized request never holds more than the cap in memory.
      storedBytes += Buffer.byteLength(prepared.event.body);
      if (storedBytes > deps.limits.maxStoredBytesPerRequest) throw storedBytesExceeded(deps.limits, index);
    });
    deps.metrics.countEvents('rejected', rejected.length);
    if (kind !== 'batch' && rejected[0]) {
      const { code, message } = rejected[0];
      throw new ApiError(400, code, message);
    }

    const outcomes = await commit(deps, rows);
    const deduplicated = outcomes.filter((outcome) => outcome === 'duplicate').length;
    // Discarded events (privacy) count as accepted for the client, so it does not send them again,
    // and tell it nothing about the identifier; the metrics count them apart.
    const accepted = outcomes.length - deduplicated;
    deps.metrics.countEvents('accepted', outcomes.filter((outcome) => outcome === 'inserted').length);
    deps.metrics.countEvents('deduplicated', deduplicated);
    c.set('logFields', { source: owner.source, accepted, deduplicated, rejected: rejected.length });
    return c.json({ success: true, accepted, deduplicated, rejected });
  };
}

function storedBytesExceeded(limits: IngestLimits, index: number): ApiError {
  return new ApiError(
    413,
    'batch_too_large',
    `the first ${index + 1} events already come to more than ${limits.maxStoredBytesPerRequest} bytes as stored ` +
      '(the batch context is copied into each event); split the batch',
  );
}

/** Called only when a limit is set: ingest without one pays no await for it. */
async function enforceRateLimit(rateLimiter: RateLimiter, key: string): Promise<void> {
  const decision = await rateLimiter.take(key);
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw new ApiError(429, 'rate_limited', `too many requests for this write key; retry in ${retryAfter} s`, {
    'Retry-After': String(retryAfter),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAt / 1000)),
  });
}

async function commit(deps: IngestDeps, rows: readonly NewEvent[]): Promise<InsertOutcome[]> {
  try {
    return await deps.writer.write(rows);
  } catch (error) {
    deps.logger.error({ msg: 'ingest commit failed', events: rows.length, error: String(error) });
    throw new ApiError(503, 'storage_unavailable', 'the events could not be stored; retry the request');
  }
}
