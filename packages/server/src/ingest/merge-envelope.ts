import type { EventProblem } from './event-problem.js';
import type { IngestLimits } from './limits.js';
import { sanitizeTree } from './sanitize-tree.js';
import type { SharedFields } from './shared-fields.js';
import { keptBytes, keptDepth, mergeShared } from './shared-fields.js';

type Fields = Record<string, unknown>;

/** The batch-level objects every event of a request inherits. */
export interface SharedEnvelope {
  readonly context?: SharedFields | undefined;
  readonly integrations?: SharedFields | undefined;
}

export type MergedEvent =
  | { readonly ok: true; readonly fields: Fields }
  | { readonly ok: false; problem: EventProblem };

const sharedNames = ['context', 'integrations'] as const;
/** The event object is level 1, its `context` level 2: a shared entry's value starts at level 3. */
const levelsAboveSharedEntry = 2;

/**
 * Merges the batch's context and integrations into one event and applies the per-event limits to
 * the result, since the merged event is what gets stored: checking the event before the merge let
 * a 200 KB shared context ride along with thousands of tiny events. Fields the server adds later
 * (receivedAt, normalized timestamp, a generated messageId) are not counted, so a client that
 * sizes its events to the limit is never refused for them.
 */
export function mergeEnvelope(raw: Fields, shared: SharedEnvelope, limits: IngestLimits): MergedEvent {
  const { maxEventDepth, maxEventBytes } = limits;
  // First, and on the raw event: it bounds the recursion of everything below (JSON.stringify too).
  const treeProblem = sanitizeTree(raw, maxEventDepth);
  if (treeProblem?.code === 'too_deep') return tooDeep(maxEventDepth);
  if (treeProblem) return notFinite(treeProblem.path);

  let inheritedBytes = 0;
  for (const name of sharedNames) {
    const from = shared[name];
    if (!from) continue;
    const own = ownObject(raw[name]);
    if (keptDepth(from, own) + levelsAboveSharedEntry > maxEventDepth) return tooDeep(maxEventDepth);
    inheritedBytes += keptBytes(from, own);
  }
  // Refused before building anything: the work for an event never grows with the shared objects.
  if (inheritedBytes > maxEventBytes) {
    return tooLarge(
      `event is over the ${maxEventBytes}-byte limit once the batch context and integrations are merged in`,
    );
  }

  // Most requests have no shared fields: the event is then measured as it is, without a copy.
  const fields: Fields = shared.context || shared.integrations ? { ...raw } : raw;
  for (const name of sharedNames) {
    const from = shared[name];
    // A non-object is left as sent: validation refuses the event for it.
    if (from && (raw[name] === undefined || raw[name] === null || ownObject(raw[name]))) {
      fields[name] = mergeShared(from, ownObject(raw[name]));
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(fields), 'utf8');
  if (bytes > maxEventBytes) return tooLarge(`event is ${bytes} bytes of JSON, over the ${maxEventBytes}-byte limit`);
  return { ok: true, fields };
}

function ownObject(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function tooDeep(maxEventDepth: number): MergedEvent {
  return {
    ok: false,
    problem: { code: 'event_too_deep', message: `event is nested deeper than ${maxEventDepth} levels` },
  };
}

function notFinite(path: string): MergedEvent {
  return {
    ok: false,
    problem: {
      code: 'invalid_field',
      message: `${path}: a number too large to store (JSON such as 1e999 is infinite)`,
    },
  };
}

function tooLarge(message: string): MergedEvent {
  return { ok: false, problem: { code: 'event_too_large', message } };
}
