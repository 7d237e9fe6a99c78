import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { UiEnv } from '../ui-env.js';
import type { PageHub, PageTopic } from './page-hub.js';

export interface LiveRouteDeps {
  readonly hub: PageHub;
  /** Aborted when the server stops: open pages' streams end. */
  readonly stopping?: AbortSignal | undefined;
  /** A comment after this long without a change, so proxies keep the stream open. */
  readonly heartbeatMs?: number;
  /** Whether the request's session is still live (not revoked, idle or ended), without counting as use. */
  readonly isSessionLive: (c: Context<UiEnv>) => Promise<boolean>;
}

// Per user, not per session: a person with many tabs is fine; a script opening streams without end,
// or logging in again and again for 20 more each time, is not.
const maxStreamsPerUser = 20;

/**
 * GET /ui/live/contacts/:id and /ui/live/audiences/:id: Server-Sent Events, a `change` event after
 * each commit that touched the contact or audience. They carry no data: the page reads itself again
 * (ui/assets/ui-script.ts), through the same checks as any page load.
 */
export function createLiveRoutes(deps: LiveRouteDeps): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const openByUser = new Map<string, number>();
  const serve = (c: Context<UiEnv>, topic: PageTopic) => {
    const userId = c.get('user').id;
    const open = openByUser.get(userId) ?? 0;
    if (open >= maxStreamsPerUser) return c.text('too many live pages open for this user', 429);
    openByUser.set(userId, open + 1);
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-store');
    return streamSSE(c, async (stream) => {
      let wakeUp: (() => void) | undefined;
      let isChanged = false;
      let isOver = false;
      const wake = () => {
        isChanged = true;
        wakeUp?.();
      };
      const end = () => {
        isOver = true;
        wakeUp?.();
      };
      const watching = deps.hub.watch(topic, wake);
      stream.onAbort(end);
      c.req.raw.signal.addEventListener('abort', end, { once: true });
      deps.stopping?.addEventListener('abort', end, { once: true });
      try {
        // `ready` once every later commit is heard (on PostgreSQL, LISTEN takes a round trip).
        await watching.ready;
        await stream.writeSSE({ event: 'ready', data: '' });
        while (!isOver && !stream.aborted) {
          if (isChanged) {
            isChanged = false;
            // A session ended since the page opened gets no more news: checked at each change and heartbeat.
            if (!(await deps.isSessionLive(c))) break;
            await stream.writeSSE({ event: 'change', data: '' });
            continue;
          }
          const woke = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), deps.heartbeatMs ?? 25_000);
            wakeUp = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wakeUp = undefined;
          if (woke || isOver) continue;
          if (!(await deps.isSessionLive(c))) break;
          await stream.write(': keep-alive\n\n');
        }
        if (!isOver && !stream.aborted) await stream.writeSSE({ event: 'end', data: '' });
      } finally {
        watching.stop();
        deps.stopping?.removeEventListener('abort', end);
        const left = (openByUser.get(userId) ?? 1) - 1;
        if (left > 0) openByUser.set(userId, left);
        else openByUser.delete(userId);
      }
    });
  };
  routes.get('/live/contacts/:id', (c) => serve(c, `contact:${c.req.param('id')}`));
  routes.get('/live/audiences/:id', (c) => serve(c, `audience:${c.req.param('id')}`));
  return routes;
}
