// Two Weft ingest nodes on one PostgreSQL schema (packages/server/src/testing/postgres-ingest-node.ts),
// for the chaos run: each kill SIGKILLs one of them, in turn, and starts it again on a new port.
// What is stored is read from the schema: rows per messageId, and whether each person (a userId)
// is one contact holding every event sent as them.
import { migratePostgres } from '../../packages/server/src/storage/postgres/migrate.js';
import { openTestSchema } from '../../packages/server/src/storage/postgres/postgres-test-kit.js';
import { killStrayServers, type ServerProcess, startServerProcess, testWriteKey } from '../support/server-process.js';
import type { ChaosBackend, StartBackend } from './chaos-backend.js';
import { readCounters, type ServerCounters } from './server-lives.js';

const nodeEntry = 'packages/server/src/testing/postgres-ingest-node.ts';

export function postgresBackend(nodes: number): StartBackend {
  return async () => {
    const schema = await openTestSchema({ isMigrated: false });
    // Migrated before the nodes start, as an operator's first start would.
    await migratePostgres(schema.pool);
    const env = { BENCH_PG_SCHEMA: schema.schema, WEFT_WRITE_KEY: testWriteKey };
    const start = async (): Promise<ServerProcess> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await startServerProcess('', env, nodeEntry);
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    };
    const lives: ServerProcess[] = [];
    for (let n = 0; n < nodes; n++) lives.push(await start());
    const finished: ServerCounters = { deduplicated: 0, accepted: 0 };
    let kills = 0;
    const query = async <T>(sql: string) => (await schema.pool.query(sql)).rows as T[];

    const backend: ChaosBackend = {
      get ports() {
        return lives.map((life) => life.port);
      },
      get kills() {
        return kills;
      },
      async killAndRestart() {
        const index = kills % lives.length;
        const life = lives[index] as ServerProcess;
        const last = await readCounters(life.url);
        finished.deduplicated += last.deduplicated;
        finished.accepted += last.accepted;
        life.child.kill('SIGKILL');
        await life.exited;
        kills++;
        lives[index] = await start();
        return backend.ports;
      },
      async counters() {
        const live = await Promise.all(lives.map((life) => readCounters(life.url)));
        return {
          deduplicated: live.reduce((sum, counters) => sum + counters.deduplicated, finished.deduplicated),
          accepted: live.reduce((sum, counters) => sum + counters.accepted, finished.accepted),
        };
      },
      async stop(timeoutMs = 10_000) {
        await Promise.all(
          lives.map(async (life) => {
            if (life.child.exitCode !== null || life.child.signalCode !== null) return;
            life.child.kill('SIGTERM');
            const timer = setTimeout(() => life.child.kill('SIGKILL'), timeoutMs);
            await life.exited;
            clearTimeout(timer);
          }),
        );
      },
      async storedCounts() {
        const rows = await query<{ id: string; n: number }>(
          'SELECT message_id AS id, count(*)::int AS n FROM events GROUP BY message_id',
        );
        return new Map(rows.map((row) => [row.id, row.n]));
      },
      async storeProblems() {
        const problems: string[] = [];
        // Every live contact is one person: it holds one userId, and every event sent as it.
        const contacts = await query<{ user_id: string | null; users: number; event_count: number; events: number }>(
          `SELECT min(i.value) AS user_id, count(i.value)::int AS users, p.event_count,
             (SELECT count(*)::int FROM events e WHERE e.user_id = min(i.value)) AS events
           FROM profiles p LEFT JOIN identifiers i ON i.profile_id = p.id AND i.type = 'user_id'
           WHERE p.merged_into IS NULL GROUP BY p.id, p.event_count`,
        );
        const [people] = await query<{ n: number }>(
          'SELECT count(DISTINCT user_id)::int AS n FROM events WHERE user_id IS NOT NULL',
        );
        if (contacts.length !== people?.n) problems.push(`${contacts.length} contacts for ${people?.n} people`);
        for (const contact of contacts) {
          if (contact.users !== 1) problems.push(`a contact holds ${contact.users} userIds`);
          else if (contact.event_count !== contact.events) {
            problems.push(`${contact.user_id}: event_count ${contact.event_count}, ${contact.events} events stored`);
          }
        }
        return problems;
      },
      async close() {
        killStrayServers();
        await schema.close();
      },
    };
    return backend;
  };
}
