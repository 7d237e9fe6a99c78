import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchMetrics, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { openTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { pageMounts } from './page-mounts.js';

export interface StoredEvent {
  readonly messageId: string;
  readonly type: string;
  readonly event: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly body: Record<string, unknown>;
}

interface EventRow {
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  body: string;
}

/** The real server (a child process), the static server for the pages, and a look into the database. */
export interface BrowserSuite {
  readonly server: ServerProcess;
  readonly pages: StaticServer;
  /** Events whose `properties.run` (or `traits.run`) is `run`, in the order they were stored. */
  storedEvents(run: string): Promise<StoredEvent[]>;
  /** Waits (at most `timeoutMs`) until `count` events of `run` are stored, and returns them all. */
  waitForStored(run: string, count: number, timeoutMs?: number): Promise<StoredEvent[]>;
  /** One unlabelled counter from the server's GET /metrics. */
  metric(name: string): Promise<number>;
  close(): Promise<void>;
}

export async function startBrowserSuite(name: string): Promise<BrowserSuite> {
  const dir = mkdtempSync(join(tmpdir(), `weft-${name}-`));
  const database = await openTestDatabase(dir);
  const server = await startServerProcess(database.url);
  const pages = await startStaticServer(pageMounts);

  const storedEvents = async (run: string): Promise<StoredEvent[]> => {
    const rows = await database.query<EventRow>(
      'SELECT message_id, type, event, user_id, anonymous_id, body FROM events ORDER BY id',
    );
    return rows
      .map((row) => ({
        messageId: row.message_id,
        type: row.type,
        event: row.event,
        userId: row.user_id,
        anonymousId: row.anonymous_id,
        body: JSON.parse(row.body) as Record<string, unknown>,
      }))
      .filter(({ body }) => runOf(body.properties) === run || runOf(body.traits) === run);
  };

  return {
    server,
    pages,
    storedEvents,
    async waitForStored(run, count, timeoutMs = 20_000) {
      await waitFor(async () => (await storedEvents(run)).length >= count, { timeoutMs, intervalMs: 100 });
      return storedEvents(run);
    },
    async metric(metricName) {
      const text = await fetchMetrics(server.url);
      const line = text.split('\n').find((entry) => entry.startsWith(`${metricName} `));
      if (!line) throw new Error(`GET /metrics has no ${metricName}`);
      return Number(line.slice(metricName.length + 1));
    },
    async close() {
      await pages.close();
      server.child.kill('SIGTERM');
      await server.exited;
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `run` a test tagged an event's properties or traits with. */
function runOf(fields: unknown): unknown {
  return typeof fields === 'object' && fields !== null ? (fields as { run?: unknown }).run : undefined;
}
