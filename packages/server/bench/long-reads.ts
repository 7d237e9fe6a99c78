/**
 * Long reads beside ingest: a consumer reading the whole change feed from its start, 1,000 changes
 * a page, and contact searches that count thousands of matches, back to back, while an open-loop
 * load sends events. Ingest's request p99 with them running is compared with its p99 idle, on the
 * same server and database, idle first and last (target: within 2×).
 */
import { benchAdminToken } from './bench-events.js';
import { readWholeFeed } from './feed-measures.js';

const headers = { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' };

const searches = [
  { filters: [{ field: 'traits.industry', op: 'eq', value: 'retail' }], limit: 100 },
  { filters: [{ field: 'email', op: 'contains', value: 'company1' }], limit: 100 },
  { filters: [{ field: 'name', op: 'startsWith', value: 'Person 1' }], sort: 'email', limit: 100 },
];

export interface ReadLoop {
  readonly feedReads: number;
  readonly searches: number;
  stop(): Promise<void>;
}

/** Reads until stopped: the whole feed, then each search, again and again. */
export function startLongReads(url: string): ReadLoop {
  let isStopped = false;
  const counts = { feedReads: 0, searches: 0 };
  const loop = (async () => {
    while (!isStopped) {
      await readWholeFeed(url);
      counts.feedReads++;
      for (const body of searches) {
        if (isStopped) break;
        const res = await fetch(`${url}/v1/contacts/search`, { method: 'POST', headers, body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`search answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        counts.searches++;
      }
    }
  })();
  return {
    get feedReads() {
      return counts.feedReads;
    },
    get searches() {
      return counts.searches;
    },
    async stop() {
      isStopped = true;
      await loop;
    },
  };
}
