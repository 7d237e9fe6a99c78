import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { PersonalizeStore } from './personalize-store.js';
import type { ProfileHub } from './profile-hub.js';
import type { PersonalizePolicy } from './publishable-key.js';
import type { StreamTicket } from './stream-ticket.js';
import { answerFor, etagOf, type VisitorLookup } from './visitor-answer.js';

export interface ProfileStreamTiming {
  /** A comment after this long without an event, so proxies see the stream alive. */
  readonly heartbeatMs: number;
  /** How often the key is looked at again: a revoked key ends its streams within this. */
  readonly recheckMs: number;
}

export const defaultProfileStreamTiming: ProfileStreamTiming = { heartbeatMs: 15_000, recheckMs: 5_000 };

export interface ProfileStreamDeps {
  readonly personalize: PersonalizeStore;
  readonly hub: ProfileHub;
  readonly now: () => number;
  readonly timing: ProfileStreamTiming;
  readonly stopping?: AbortSignal | undefined;
  /** Called once the stream has ended, whatever ended it. */
  readonly onEnd: () => void;
}

/**
 * Serves one visitor's answer as Server-Sent Events: a `profile` event at once, then another each
 * time a commit changes what the key may say about them (the hub wakes the stream; an unchanged
 * answer is not sent again). It follows the visitor through merges (each answer is looked up
 * again by the ticket's identifier), and ends with an `end` event when the identity token
 * expires, when the key is revoked, or when the server stops.
 */
export function streamProfile(c: Context, deps: ProfileStreamDeps, ticket: StreamTicket): Response {
  const lookup: VisitorLookup = { type: ticket.type, value: ticket.value, isProven: ticket.isProven };
  c.header('X-Accel-Buffering', 'no');
  c.header('Cache-Control', 'no-store');
  return streamSSE(c, async (stream) => {
    let isWoken = true;
    let isOver = false;
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      isWoken = true;
      wakeUp?.();
    };
    const end = () => {
      isOver = true;
      wake();
    };
    const watch = deps.hub.watch({ type: ticket.type, value: ticket.value }, wake);
    stream.onAbort(end);
    // The request's own signal too: a client gone while nothing is written still frees its place.
    const requestSignal = c.req.raw.signal;
    requestSignal.addEventListener('abort', end, { once: true });
    deps.stopping?.addEventListener('abort', end, { once: true });
    let policy: PersonalizePolicy | undefined;
    let lastTag = '';
    // Intervals on the process's own clock; the ticket's end on the server's (tests move it).
    const ticks = () => performance.now();
    let lastWrite = ticks();
    let lastCheck = -Infinity;
    try {
      // The first answer is read once every later commit is heard, so none falls between the two.
      await watch.ready;
      while (!isOver && !stream.aborted) {
        if (deps.now() >= ticket.endsAt) {
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ code: 'token_expired' }) });
          break;
        }
        if (ticks() - lastCheck >= deps.timing.recheckMs) {
          lastCheck = ticks();
          const key = await deps.personalize.keys.get(ticket.keyId);
          if (!key || key.revokedAt !== null) {
            await stream.writeSSE({ event: 'end', data: JSON.stringify({ code: 'key_revoked' }) });
            break;
          }
          if (ticket.origin !== '' && !key.policy.origins.includes(ticket.origin)) {
            await stream.writeSSE({ event: 'end', data: JSON.stringify({ code: 'origin_not_allowed' }) });
            break;
          }
          if (JSON.stringify(key.policy) !== JSON.stringify(policy)) isWoken = true;
          policy = key.policy;
        }
        if (isWoken && policy) {
          isWoken = false;
          const profile = await deps.personalize.visitor(lookup.type, lookup.value);
          // A merge committed between the look-up and this line would go unheard: look once more.
          if (watch.follow(profile?.contactId)) isWoken = true;
          const body = JSON.stringify(answerFor(profile, lookup, policy));
          const tag = etagOf(body);
          if (tag !== lastTag) {
            lastTag = tag;
            await stream.writeSSE({ event: 'profile', id: tag.slice(1, -1), data: body });
            lastWrite = ticks();
          }
          continue;
        }
        if (ticks() - lastWrite >= deps.timing.heartbeatMs) {
          await stream.write(': keep-alive\n\n');
          lastWrite = ticks();
        }
        const waitMs = Math.min(
          deps.timing.heartbeatMs,
          deps.timing.recheckMs,
          Math.max(0, ticket.endsAt - deps.now()),
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
          if (isWoken || isOver) wakeUp();
        });
        wakeUp = undefined;
      }
    } finally {
      watch.close();
      requestSignal.removeEventListener('abort', end);
      deps.stopping?.removeEventListener('abort', end);
      deps.onEnd();
    }
  });
}
