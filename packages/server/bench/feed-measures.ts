/**
 * The change feed as a consumer sees it: how fast a whole feed reads over GET /v1/changes, and how
 * long a change takes from its commit to its delivery on GET /v1/changes/stream.
 */
import { benchAdminToken } from './bench-events.js';

const headers = { Authorization: `Bearer ${benchAdminToken}` };

export interface FeedRead {
  readonly changes: number;
  readonly seconds: number;
  readonly changesPerSecond: number;
}

/** Reads the feed from its start, 1,000 changes a page, as a consumer catching up would. */
export async function readWholeFeed(url: string): Promise<FeedRead> {
  let cursor: string | undefined;
  let changes = 0;
  const started = performance.now();
  for (;;) {
    const query = cursor === undefined ? 'limit=1000' : `limit=1000&after=${encodeURIComponent(cursor)}`;
    const res = await fetch(`${url}/v1/changes?${query}`, { headers });
    if (!res.ok) throw new Error(`GET /v1/changes answered ${res.status}`);
    const page = (await res.json()) as { data: unknown[]; cursor: string; hasMore: boolean };
    changes += page.data.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return { changes, seconds, changesPerSecond: changes / seconds };
}

export interface StreamLag {
  readonly delivered: number;
  readonly eventsStored: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Opens the stream at the feed's head, runs `load`, and measures each change's lag: when it
 * arrived here minus its `at` (taken in the writing transaction, so the lag includes the commit).
 * Stops once `expected(loadResult)` event.stored changes have arrived, or 10 s after the load ends.
 */
export async function measureStreamLag<T>(
  url: string,
  load: () => Promise<T>,
  expected: (result: T) => number,
): Promise<StreamLag & { readonly load: T }> {
  const head = (await fetch(`${url}/v1/changes/head`, { headers }).then((res) => res.json())) as { cursor: string };
  const stop = new AbortController();
  const res = await fetch(`${url}/v1/changes/stream`, {
    headers: { ...headers, 'Last-Event-ID': head.cursor },
    signal: stop.signal,
  });
  if (!res.ok || !res.body) throw new Error(`GET /v1/changes/stream answered ${res.status}`);
  const lags: number[] = [];
  let eventsStored = 0;
  let target = Number.POSITIVE_INFINITY;
  let arrivedAll: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => (arrivedAll = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const now = Date.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data:'));
          if (data) lags.push(now - Date.parse((JSON.parse(data.slice(5)) as { at: string }).at));
          if (message.includes('\nevent: event.stored') || message.startsWith('event: event.stored')) eventsStored++;
          end = buffer.indexOf('\n\n');
        }
        if (eventsStored >= target) arrivedAll();
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    }
  })();
  const result = await load();
  target = expected(result);
  if (eventsStored >= target) arrivedAll();
  await Promise.race([allArrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  stop.abort();
  await reading;
  const sorted = [...lags].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return {
    delivered: lags.length,
    eventsStored,
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    load: result,
  };
}
