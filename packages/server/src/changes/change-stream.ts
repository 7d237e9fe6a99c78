import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ChangeType } from './change.js';
import { CursorExpired, type FeedCursors, type FeedPosition, readFeed } from './change-feed.js';
import type { ChangeStore } from './change-store.js';

export interface StreamTiming {
  /** A comment is sent after this long without a change, so proxies and clients see the stream live. */
  readonly heartbeatMs: number;
  /** How often the stream's token is checked again: a revoked token closes it within this. */
  readonly recheckMs: number;
  /** Changes read per look at the feed. */
  readonly batchSize: number;
}

export const defaultStreamTiming: StreamTiming = { heartbeatMs: 15_000, recheckMs: 1_000, batchSize: 500 };

export interface ChangeStreamDeps {
  readonly changes: ChangeStore;
  readonly cursors: FeedCursors;
  /** Still allowed? Asked every `recheckMs`; false ends the stream. */
  readonly isAuthorized: () => Promise<boolean>;
  /** Aborted when the server stops: every stream ends. */
  readonly stopping?: AbortSignal | undefined;
  readonly timing?: StreamTiming;
}

/**
 * Serves the feed from `after` as Server-Sent Events: what is there, then each commit's changes as
 * they come (the store wakes the stream after each commit that recorded changes). Each message's
 * `id` is the cursor after it, so a client that reconnects with `Last-Event-ID` misses nothing.
 * Backpressure is the socket's: a slow client is written to no faster than it reads.
 */
export function streamChanges(
  c: Context,
  deps: ChangeStreamDeps,
  start: { readonly after: FeedPosition; readonly types?: readonly ChangeType[] | undefined },
): Response {
  const timing = deps.timing ?? defaultStreamTiming;
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const waker = createWaker();
    const stop = deps.changes.onCommit(waker.wake);
    const end = () => {
      isOver = true;
      waker.wake();
    };
    let isOver = false;
    stream.onAbort(end);
    deps.stopping?.addEventListener('abort', end, { once: true });
    let position = start.after;
    let lastWrite = Date.now();
    let lastCheck = Date.now();
    try {
      while (!isOver && !stream.aborted) {
        const page = await readFeed(deps.changes, { after: position, limit: timing.batchSize, types: start.types });
        for (const { position: at, ...change } of page.changes) {
          const cursor = deps.cursors.encode(at);
          await stream.writeSSE({ id: cursor, event: change.type, data: JSON.stringify({ ...change, cursor }) });
        }
        if (page.changes.length > 0) lastWrite = Date.now();
        position = page.position;
        if (page.hasMore) continue;
        await waker.wait(Math.min(timing.heartbeatMs, timing.recheckMs));
        const now = Date.now();
        if (now - lastCheck >= timing.recheckMs) {
          lastCheck = now;
          if (!(await deps.isAuthorized())) {
            await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: 'token_revoked' }) });
            break;
          }
        }
        if (now - lastWrite >= timing.heartbeatMs) {
          await stream.write(': keep-alive\n\n');
          lastWrite = now;
        }
      }
    } catch (error) {
      if (!(error instanceof CursorExpired)) throw error;
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({ code: 'cursor_expired', message: error.message }),
      });
    } finally {
      stop();
      deps.stopping?.removeEventListener('abort', end);
    }
  });
}

/** Wakes a waiting loop; a wake that comes while the loop is busy is kept for its next wait. */
function createWaker() {
  let isWoken = false;
  let resolve: (() => void) | undefined;
  return {
    wake() {
      isWoken = true;
      resolve?.();
    },
    wait(ms: number): Promise<void> {
      if (isWoken) {
        isWoken = false;
        return Promise.resolve();
      }
      return new Promise<void>((done) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          resolve = undefined;
          isWoken = false;
          done();
        }
        resolve = finish;
      });
    },
  };
}
