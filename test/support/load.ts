import { basicAuth } from './server-process.js';

export interface LoadResult {
  /** messageIds of the events of every request that was answered 200. */
  readonly acknowledged: string[];
  readonly failedRequests: number;
}

/**
 * Sends batches from `connections` concurrent loops until `stop()` resolves or `maxRequests` is
 * reached. Every event has a unique messageId, so "stored exactly once" can be checked afterwards.
 */
export async function sendLoad(options: {
  url: string;
  writeKey: string;
  connections: number;
  batchSize: number;
  maxRequests: number;
  until: Promise<unknown>;
}): Promise<LoadResult> {
  const acknowledged: string[] = [];
  let failedRequests = 0;
  let sent = 0;
  let stopped = false;
  void options.until.then(() => (stopped = true));

  async function loop(connection: number): Promise<void> {
    while (!stopped && sent < options.maxRequests) {
      const request = sent++;
      const ids = Array.from({ length: options.batchSize }, (_, i) => `c${connection}-r${request}-e${i}`);
      const batch = ids.map((messageId) => ({ type: 'track', event: 'Load', userId: `u${request % 97}`, messageId }));
      try {
        const res = await fetch(`${options.url}/v1/batch`, {
          method: 'POST',
          headers: { Authorization: basicAuth(options.writeKey), 'Content-Type': 'application/json' },
          body: JSON.stringify({ batch }),
        });
        if (res.status === 200) acknowledged.push(...ids);
        else failedRequests += 1;
        await res.arrayBuffer();
      } catch {
        failedRequests += 1;
        // The server is gone; pause so a dead loop does not spin.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, (_, i) => loop(i)));
  return { acknowledged, failedRequests };
}
