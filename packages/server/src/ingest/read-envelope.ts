import { ApiError } from '../http/api-error.js';
import { identifierProblem } from '../identity/read-identity-event.js';
import type { IngestLimits } from './limits.js';
import { parseTimestamp } from './parse-timestamp.js';
import type { Envelope } from './prepare-event.js';
import { sanitizeTree } from './sanitize-tree.js';
import type { SharedFields } from './shared-fields.js';
import { measureShared } from './shared-fields.js';

type Fields = Record<string, unknown>;

export interface ReadEnvelope {
  readonly envelope: Envelope;
  readonly events: readonly unknown[];
}

/**
 * Checks what wraps the events. Only this part can fail a whole request: a bad event is refused
 * on its own later, since the client retrying the batch could not fix it.
 */
export function readEnvelope(body: unknown, isBatch: boolean, limits: IngestLimits): ReadEnvelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', 'request body must be a JSON object');
  }
  const fields = body as Fields;
  if (!isBatch) return { envelope: {}, events: [fields] };

  if (!Array.isArray(fields.batch)) {
    throw new ApiError(400, 'invalid_batch', '"batch" must be an array of events');
  }
  // 413, not 400: Weft's SDKs answer a 413 by splitting the batch in halves and retrying.
  if (fields.batch.length > limits.maxEventsPerRequest) {
    throw new ApiError(
      413,
      'too_many_events',
      `request holds ${fields.batch.length} events, more than ${limits.maxEventsPerRequest} in one request; split the batch`,
    );
  }
  const sentAt = parseTimestamp(fields.sentAt);
  if (!sentAt.ok) throw new ApiError(400, 'invalid_field', `"sentAt" ${sentAt.reason}`);
  return {
    envelope: {
      sentAt: sentAt.ms,
      context: sharedObject(fields, 'context', limits.maxEventDepth),
      integrations: sharedObject(fields, 'integrations', limits.maxEventDepth),
    },
    events: fields.batch,
  };
}

function sharedObject(fields: Fields, name: 'context' | 'integrations', maxDepth: number): SharedFields | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_field', `"${name}" must be an object`);
  }
  const badIdentifier = identifierProblem({ [name]: value });
  if (badIdentifier) {
    throw new ApiError(400, 'invalid_identifier', `"${badIdentifier.field}" ${badIdentifier.reason}`);
  }
  const problem = sanitizeTree(value, maxDepth, name);
  if (problem?.code === 'too_deep') {
    throw new ApiError(400, 'invalid_field', `"${name}" is nested deeper than ${maxDepth} levels`);
  }
  if (problem) {
    throw new ApiError(400, 'invalid_field', `"${problem.path}" is a number too large to store (such as 1e999)`);
  }
  // Measured here, once per request, so that each event pays only for its own keys.
  return measureShared(value as Fields);
}
