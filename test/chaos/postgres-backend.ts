// Two Weft servers (`weft-server serve`, WEFT_DB a postgres:// URL) on one PostgreSQL schema, for
// the chaos run: each kill SIGKILLs one of them, in turn, and starts it again on a new port. What is
// stored is read from the schema: rows per messageId, and whether each person (a userId) is one
// contact holding every event sent as them. An audience and a computed trait are defined during the
// run, on the first server to be killed, just before its kill: each contact's membership and value
// must be what its stored events make them, counted by the backfill, by either server's ingest, or
// by a backfill another server took over. With `webhooks`, the servers also deliver the feed to one
// endpoint (a receiver here): every change it subscribes to must arrive, each contact's in feed
// order, whichever server was killed meanwhile.
import { migratePostgres } from '../../packages/server/src/storage/postgres/migrate.js';
import { openTestSchema } from '../../packages/server/src/storage/postgres/postgres-test-kit.js';
import { createPostgresWebhookStore } from '../../packages/server/src/storage/postgres/webhooks/postgres-webhook-store.js';
import {
  killStrayServers,
  type ServerProcess,
  startServerProcess,
  testAdminToken,
  testWriteKey,
} from '../support/server-process.js';
import type { ChaosBackend, StartBackend } from './chaos-backend.js';
import { readCounters, type ServerCounters } from './server-lives.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const webhookTypes = [
  'event.stored',
  'contact.created',
  'contact.identified',
  'contact.updated',
  'contact.merged',
  'audience.entered',
  'audience.exited',
] as const;

/** What the apps send ('Chaos Tick', 50 userIds) counted: a computed trait, and an audience of the busiest. */
const ticks = { name: 'ticks', calculation: { event: 'Chaos Tick', aggregate: 'count' } };
const busyAt = 60;
const busy = { name: 'busy', rule: { event: 'Chaos Tick', count: { op: 'gte', n: busyAt } } };

async function defineAudiences(url: string): Promise<void> {
  for (const [path, body] of [
    ['/v1/computed-traits', ticks],
    ['/v1/audiences', busy],
  ] as const) {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${testAdminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  }
}

export function postgresBackend(nodes: number, options: { readonly webhooks?: boolean } = {}): StartBackend {
  return async () => {
    const schema = await openTestSchema({ isMigrated: false });
    // Migrated before the nodes start, as an operator's first start would.
    await migratePostgres(schema.pool);
    const receiver = options.webhooks ? await startWebhookReceiver() : undefined;
    if (receiver) {
      await createPostgresWebhookStore(schema.pool).create({ url: receiver.url, types: webhookTypes }, Date.now());
    }
    // The schema travels in the URL, as an operator's search_path would.
    const databaseUrl = schema.url;
    const env = {
      WEFT_WRITE_KEY: testWriteKey,
      // A killed server's endpoints and messages are taken over after 3 s and 6 s (30 s and a
      // minute by default): the run is 40 s long.
      WEFT_LEASE_TTL: '3s',
      WEFT_WEBHOOK_RETRY_SCHEDULE: '100ms,300ms,1s,2s,5s',
      WEFT_WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
    };
    const start = async (): Promise<ServerProcess> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await startServerProcess(databaseUrl, env);
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    };
    const lives: ServerProcess[] = [];
    for (let n = 0; n < nodes; n++) lives.push(await start());
    let isDefined = false;
    const finished: ServerCounters = { deduplicated: 0, accepted: 0 };
    let kills = 0;
    const query = async <T>(sql: string) => (await schema.pool.query(sql)).rows as T[];

    /** Every change the endpoint subscribes to arrived, each contact's in feed order, none failed. */
    async function webhookProblems(receiving: WebhookReceiver): Promise<string[]> {
      const problems: string[] = [];
      const changes = await query<{ seq: number; contact_id: string | null }>(
        `SELECT seq, contact_id FROM changes WHERE type = ANY ('{${webhookTypes.join(',')}}') ORDER BY seq`,
      );
      const deliveredSeqs = receiving.delivered.map((delivery) => Number(/^msg_(\d+)_/.exec(delivery.webhookId)?.[1]));
      const delivered = new Set(deliveredSeqs);
      console.log(
        `webhooks: ${receiving.delivered.length} changes delivered in ${receiving.attempts} attempts, of ${changes.length} subscribed`,
      );
      if (changes.length === 0) problems.push('no change the endpoint subscribes to was recorded');
      const missing = changes.filter((change) => !delivered.has(change.seq));
      if (missing.length > 0) {
        problems.push(`${missing.length} of ${changes.length} changes never delivered (seq ${missing[0]?.seq}, …)`);
      }
      const [unsent] = await query<{ n: number }>(
        "SELECT count(*)::int AS n FROM webhook_messages WHERE status <> 'delivered'",
      );
      if (unsent?.n) problems.push(`${unsent.n} webhook messages not delivered`);
      const lastOf = new Map<string, number>();
      for (const [index, delivery] of receiving.delivered.entries()) {
        const contactId = delivery.body.data.contactId as string | null;
        const seq = deliveredSeqs[index] as number;
        if (contactId === null) continue;
        if ((lastOf.get(contactId) ?? 0) > seq) problems.push(`${contactId}: change ${seq} arrived after a later one`);
        lastOf.set(contactId, Math.max(seq, lastOf.get(contactId) ?? 0));
      }
      return problems;
    }

    /** Each live contact's ticks and membership are what its stored events make them. */
    async function audienceProblems(): Promise<string[]> {
      const problems: string[] = [];
      // The backfill of definitions made at the start, and the last commits, are done by now.
      const rows = await query<{ id: number; stored: number; computed: string | null; is_member: boolean }>(
        `SELECT p.id,
           (SELECT count(*)::int FROM events e JOIN profiles q ON q.id = e.profile_id
            WHERE (q.id = p.id OR q.merged_into = p.id) AND e.type = 'track' AND e.event = 'Chaos Tick') AS stored,
           (SELECT computed FROM audience_profiles a WHERE a.profile_id = p.id) AS computed,
           EXISTS (SELECT 1 FROM audience_members m JOIN audiences d ON d.id = m.audience_id
                   WHERE m.profile_id = p.id AND d.name = 'busy') AS is_member
         FROM profiles p WHERE p.merged_into IS NULL`,
      );
      // Ticks only add up: a contact enters once and never leaves, whichever server counted its events.
      const [entries] = await query<{ entered: number; contacts: number; exited: number }>(
        `SELECT count(*) FILTER (WHERE type = 'audience.entered')::int AS entered,
           count(DISTINCT contact_id) FILTER (WHERE type = 'audience.entered')::int AS contacts,
           count(*) FILTER (WHERE type = 'audience.exited')::int AS exited
         FROM changes WHERE type LIKE 'audience.%'`,
      );
      if (entries && (entries.entered !== entries.contacts || entries.exited > 0)) {
        problems.push(`${entries.entered} entries for ${entries.contacts} contacts, ${entries.exited} exits`);
      }
      const members = rows.filter((row) => row.is_member).length;
      console.log(`audiences: ${members} of ${rows.length} contacts in busy (${busyAt} ticks or more)`);
      if (members === 0) problems.push('no contact entered the audience');
      for (const row of rows) {
        const value = (JSON.parse(row.computed ?? '{}') as { ticks?: number }).ticks ?? 0;
        if (value !== row.stored) problems.push(`contact ${row.id}: ticks ${value}, ${row.stored} stored`);
        if (row.is_member !== row.stored >= busyAt) {
          problems.push(`contact ${row.id}: ${row.stored} ticks, ${row.is_member ? 'in' : 'not in'} busy`);
        }
      }
      return problems;
    }

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
        // Defined mid-run, on the server about to be killed: the other one, counting with the set it
        // had, must take the new one up, and the backfill count what both stored before.
        if (!isDefined) {
          await defineAudiences(life.url);
          isDefined = true;
        }
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
        // The queue is drained while the nodes still run: every change read, none pending.
        for (let waited = 0; receiver && waited < 300; waited++) {
          const [queue] = await query<{ pending: number; unread: number }>(
            `SELECT (SELECT count(*)::int FROM webhook_messages WHERE status = 'pending') AS pending,
               (SELECT coalesce(max(seq), 0) FROM changes) - (SELECT min(position) FROM webhook_endpoints) AS unread`,
          );
          if (queue?.pending === 0 && Number(queue.unread) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
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
        if (!isDefined) problems.push('no server kill came, so no audience was defined');
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
        problems.push(...(await audienceProblems()));
        if (receiver) problems.push(...(await webhookProblems(receiver)));
        return problems;
      },
      async close() {
        await receiver?.close();
        killStrayServers();
        await schema.close();
      },
    };
    return backend;
  };
}
