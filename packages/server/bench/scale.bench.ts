/**
 * pnpm bench:scale — what each added Weft node costs and buys on PostgreSQL, beside SQLite in the
 * same run (issue #21). Settings, alternated over ROUNDS rounds (default 3), each behind a
 * round-robin TCP proxy on loopback (bench/round-robin-proxy.ts):
 *   SQLite, 1 node: the real server (src/main.ts) on a new file;
 *   PG, 1 node and PG, 2 nodes: the real server too, WEFT_DB a postgres:// URL, one schema,
 *   `synchronous_commit` as the cluster has it; background work (audiences, webhooks, pruning) runs
 *   as in production, with nothing defined to do.
 * Load: people as bench-events.ts identifiedPerson sends them, all first events, then all second,
 * then all third, in batches of 100 on CONNECTIONS keep-alive connections (default 8, so each of
 * two nodes gets half). After a warm-up of 2,000 people per node, two phases per run, each new
 * people: flat out, PEOPLE people (default 20,000) as fast as the nodes answer; paced,
 * PACED_PEOPLE (default 4,000) at RATE events/s (default 2,000, a third of what one node takes
 * flat out), where CPU per event is the work and not the queueing of five busy processes on two
 * cores. Prints events/s, p99 per request, events per commit, and
 * CPU per event: the nodes' together and each node's, and PostgreSQL's (every postgres process,
 * from /proc). The gate: the nodes' CPU per event with two nodes within 1.2× of one node's. Checks
 * every run left one contact per person. DEFINITIONS=1 measures what audiences cost on ingest
 * instead: SQLite and PG, 1 node, each without and with an audience and a computed trait on the
 * events sent (defined before the warm-up, so ingest evaluates them for every event; the run checks
 * that every person entered the audience), and prints the ratio per engine. UNSPLIT=1 adds one PostgreSQL node whose batches are not
 * cut into transactions by lock budget, to measure the cut: the server's ingest path alone
 * (src/testing/postgres-ingest-node.ts), the one setting that is. Needs scripts/ensure-postgres.sh.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migratePostgres } from '../src/storage/postgres/migrate.js';
import { createPostgresCredentialStore } from '../src/storage/postgres/postgres-credential-store.js';
import { createPostgresPool } from '../src/storage/postgres/postgres-pool.js';
import { postgresSchemaUrl } from '../src/storage/postgres/postgres-url.js';
import { type BatchPoster, createBatchPoster } from './batch-poster.js';
import { benchAdminToken, benchWriteKey, identifiedPerson } from './bench-events.js';
import { type BenchServer, startBenchServer } from './bench-server.js';
import { postgresCpuMicros, processCpuMicros } from './process-cpu.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';

const url = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgres://weft:weft@127.0.0.1:5432/weft_test';
const people = Number(process.env.PEOPLE ?? 20_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const connections = Number(process.env.CONNECTIONS ?? 8);
const pacedPeople = Number(process.env.PACED_PEOPLE ?? 4_000);
// Per node: every node compiles its hot paths and grows its heap once, whatever its share.
const warmPeople = 2_000;
const pacedRate = Number(process.env.RATE ?? 2_000);
const batchSize = 100;
const isDefining = process.env.DEFINITIONS === '1';
const buyers = { name: 'buyers', rule: { event: 'Order Completed', count: { op: 'gte', n: 1 } } };
const orders = { name: 'orders', calculation: { event: 'Order Completed', aggregate: 'count' } };
const log = (line: string) => console.log(line);

type Setting =
  | 'SQLite, 1 node'
  | 'PG, 1 node'
  | 'PG, 2 nodes'
  | 'PG, 1 node, unsplit'
  | 'SQLite, 1 node + audiences'
  | 'PG, 1 node + audiences';
// UNSPLIT=1 adds a fourth setting: one PostgreSQL node whose batches are not cut by lock budget
// (maxLocksPerTransaction), to measure what the cut costs; not safe to run that way (docs/scaling.md).
const settings: readonly Setting[] = isDefining
  ? ['SQLite, 1 node', 'SQLite, 1 node + audiences', 'PG, 1 node', 'PG, 1 node + audiences']
  : [
      'SQLite, 1 node',
      'PG, 1 node',
      'PG, 2 nodes',
      ...(process.env.UNSPLIT === '1' ? (['PG, 1 node, unsplit'] as const) : []),
    ];
const withAudiences = (setting: Setting) => setting.endsWith(' + audiences');

/** Request bodies: every person's first event, then every second, then every third. */
function bodiesOf(run: string, count: number): Buffer[] {
  const sentAt = new Date().toISOString();
  const byPerson = Array.from({ length: count }, (_, person) =>
    identifiedPerson(person, run).map((event) => ({ ...event, messageId: randomUUID(), timestamp: sentAt })),
  );
  const bodies: Buffer[] = [];
  for (let step = 0; step < 3; step++) {
    for (let first = 0; first < count; first += batchSize) {
      const batch = byPerson.slice(first, first + batchSize).map((events) => events[step]);
      bodies.push(Buffer.from(JSON.stringify({ batch, sentAt })));
    }
  }
  return bodies;
}

interface Deployment {
  readonly nodes: BenchServer[];
  readonly isPostgres: boolean;
  contacts(): Promise<number>;
  close(): Promise<void>;
}

async function deploy(setting: Setting): Promise<Deployment> {
  if (setting.startsWith('SQLite')) {
    const dir = mkdtempSync(join(tmpdir(), 'weft-scale-'));
    const dbPath = join(dir, 'weft.db');
    const node = await startBenchServer(dbPath);
    return {
      nodes: [node],
      isPostgres: false,
      async contacts() {
        const db = new Database(dbPath, { readonly: true });
        try {
          return Number(db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get());
        } finally {
          db.close();
        }
      },
      async close() {
        await node.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `scale_${randomBytes(4).toString('hex')}`;
  const admin = createPostgresPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = createPostgresPool(url, { schema, max: 1 });
  await migratePostgres(pool);
  await createPostgresCredentialStore(pool).seed('write_key', benchWriteKey);
  await pool.end();
  const count = setting === 'PG, 2 nodes' ? 2 : 1;
  const nodes: BenchServer[] = [];
  const databaseUrl = postgresSchemaUrl(url, schema);
  for (let n = 0; n < count; n++) {
    nodes.push(
      setting === 'PG, 1 node, unsplit'
        ? await startBenchServer('', {
            entry: 'src/testing/postgres-ingest-node.ts',
            env: { BENCH_PG_SCHEMA: schema, BENCH_MAX_LOCKS: String(Number.MAX_SAFE_INTEGER) },
          })
        : await startBenchServer(databaseUrl),
    );
  }
  return {
    nodes,
    isPostgres: true,
    async contacts() {
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.profiles WHERE merged_into IS NULL`,
      );
      return Number(rows[0]?.n);
    },
    async close() {
      for (const node of nodes) await node.stop();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * Posts the bodies on CONNECTIONS keep-alive connections: as fast as the nodes answer, or, given
 * `eventsPerSecond`, one request every batchSize ÷ rate seconds whether or not earlier ones are back
 * (a request's time runs from when it was due).
 */
async function post(poster: BatchPoster, bodies: readonly Buffer[], eventsPerSecond?: number) {
  const latencies: number[] = [];
  let failed = 0;
  const send = async (body: Buffer) => {
    const { status, ms } = await poster.post(body);
    if (status !== 200) failed++;
    latencies.push(ms);
  };
  if (eventsPerSecond === undefined) {
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < bodies.length) await send(bodies[next++] as Buffer);
      }),
    );
  } else {
    const interval = (1000 * batchSize) / eventsPerSecond;
    const started = performance.now();
    const sent: Promise<void>[] = [];
    for (const [index, body] of bodies.entries()) {
      const wait = started + index * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent.push(send(body));
    }
    await Promise.all(sent);
  }
  latencies.sort((a, b) => a - b);
  return { p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN, failed };
}

/** Commits and events the nodes' group-commit writers made so far (/metrics; /stats of an ingest-path node). */
async function commitStats(nodes: readonly BenchServer[], isPostgres: boolean) {
  const total = { commits: 0, events: 0 };
  if (!isPostgres) return total;
  for (const node of nodes) {
    const metrics = await fetch(`${node.url}/metrics`, { headers: { Authorization: `Bearer ${benchAdminToken}` } });
    if (metrics.ok) {
      const text = await metrics.text();
      const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      total.commits += counter('weft_ingest_commits_total');
      total.events += counter('weft_ingest_committed_events_total');
      continue;
    }
    const stats = (await (await fetch(`${node.url}/stats`)).json()) as typeof total;
    total.commits += stats.commits;
    total.events += stats.events;
  }
  return total;
}

interface Measured {
  readonly eventsPerSecond: number;
  readonly p99: number;
  /** CPU of all nodes ÷ events, and of each node ÷ events. */
  readonly nodesMicrosPerEvent: number;
  readonly eachNode: readonly number[];
  readonly postgresMicrosPerEvent: number;
  readonly eventsPerCommit: number;
}

/** Sends new people's events through the proxy and charges each process's CPU to them. */
async function measure(deployment: Deployment, poster: BatchPoster, count: number, eventsPerSecond?: number) {
  const isPostgres = deployment.isPostgres;
  const bodies = bodiesOf(randomBytes(3).toString('hex'), count);
  const nodesBefore = deployment.nodes.map((node) => processCpuMicros(node.pid));
  const postgresBefore = postgresCpuMicros();
  const commitsBefore = await commitStats(deployment.nodes, isPostgres);
  const started = performance.now();
  const { p99, failed } = await post(poster, bodies, eventsPerSecond);
  const seconds = (performance.now() - started) / 1000;
  const nodeMicros = deployment.nodes.map((node, index) => processCpuMicros(node.pid) - (nodesBefore[index] ?? 0));
  const postgresMicros = postgresCpuMicros() - postgresBefore;
  const commitsAfter = await commitStats(deployment.nodes, isPostgres);
  if (failed > 0) throw new Error(`${failed} requests failed`);
  const events = bodies.length * batchSize;
  return {
    eventsPerSecond: events / seconds,
    p99,
    nodesMicrosPerEvent: nodeMicros.reduce((sum, micros) => sum + micros, 0) / events,
    eachNode: nodeMicros.map((micros) => micros / events),
    postgresMicrosPerEvent: isPostgres ? postgresMicros / events : Number.NaN,
    eventsPerCommit: isPostgres
      ? (commitsAfter.events - commitsBefore.events) / (commitsAfter.commits - commitsBefore.commits)
      : Number.NaN,
  } satisfies Measured;
}

async function run(setting: Setting): Promise<{ flatOut: Measured; paced: Measured }> {
  const deployment = await deploy(setting);
  const proxy = await startRoundRobinProxy(deployment.nodes.map((node) => Number(new URL(node.url).port)));
  // One set of connections for the run, each taken in turn ('fifo'): the proxy pins each to a node,
  // so requests split evenly between nodes even when few are in flight.
  const poster = createBatchPoster(proxy.url, connections, { scheduling: 'fifo' });
  try {
    const audienceId = withAudiences(setting) ? await define(deployment.nodes[0] as BenchServer) : undefined;
    // Warm-up: other people, not measured, so that each node has compiled its hot paths and grown
    // its heap (and every connection is open). Short runs without it charged that fixed cost to
    // their events, twice over with two nodes: 1.26 at 12,000 events, 1.13 at 72,000.
    await post(poster, bodiesOf(`warm-${randomBytes(3).toString('hex')}`, warmPeople * deployment.nodes.length));
    const flatOut = await measure(deployment, poster, people);
    const paced = await measure(deployment, poster, pacedPeople, pacedRate);
    const contacts = await deployment.contacts();
    const expected = warmPeople * deployment.nodes.length + people + pacedPeople;
    if (contacts !== expected) throw new Error(`${setting}: ${contacts} contacts for ${expected} people`);
    if (audienceId !== undefined) {
      const members = await membersOf(deployment.nodes[0] as BenchServer, audienceId);
      if (members !== expected) throw new Error(`${setting}: ${members} audience members for ${expected} people`);
    }
    return { flatOut, paced };
  } finally {
    poster.close();
    await proxy.close();
    await deployment.close();
  }
}

/** Defines the audience and the computed trait on a node, as an admin would; answers the audience's id. */
async function define(node: BenchServer): Promise<string> {
  let audienceId = '';
  for (const [path, body] of [
    ['/v1/computed-traits', orders],
    ['/v1/audiences', buyers],
  ] as const) {
    const response = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { id: string };
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    if (path === '/v1/audiences') audienceId = answer.id;
  }
  return audienceId;
}

async function membersOf(node: BenchServer, audienceId: string): Promise<number> {
  const response = await fetch(`${node.url}/v1/audiences/${audienceId}`, {
    headers: { Authorization: `Bearer ${benchAdminToken}` },
  });
  return ((await response.json()) as { memberCount: number }).memberCount;
}

const cell = (value: number, digits = 0) => (Number.isNaN(value) ? '—' : value.toFixed(digits));
const row = (round: number, setting: Setting, result: Measured, gate: number) =>
  `| ${round} | ${setting} | ${Math.round(result.eventsPerSecond)} | ${result.p99.toFixed(1)} | ${cell(result.nodesMicrosPerEvent)} (${result.eachNode.map((micros) => cell(micros)).join(' + ')}) | ${cell(result.postgresMicrosPerEvent)} | ${cell(result.eventsPerCommit)} | ${Number.isNaN(gate) ? '' : `**${gate.toFixed(2)}**`} |`;
const header = [
  "| round | setting | events/s | p99 ms per request | nodes µs/event (each node's CPU ÷ all events) | PostgreSQL µs/event | events per commit | nodes µs/event ÷ 1 node's |",
  '| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |',
];

const admin = createPostgresPool(url, { max: 1 });
const { rows: setting } = await admin.query<{ setting: string }>(
  "SELECT setting FROM pg_settings WHERE name = 'synchronous_commit'",
);
await admin.end();
log(`PostgreSQL synchronous_commit=${setting[0]?.setting}.`);
if (isDefining) log('DEFINITIONS=1: an audience and a computed trait on Order Completed, evaluated on ingest.');
log(
  `Flat out: ${people} people (${people * 3} events) per run; paced: ${pacedPeople} people at ${pacedRate} events/s. Batches of ${batchSize}, ${connections} connections through a round-robin proxy; ${rounds} rounds, settings alternated.`,
);
const lines = { flatOut: [...header], paced: [...header] };
const gates = { flatOut: [] as number[], paced: [] as number[] };
const audienceCosts = { flatOut: new Map<string, number[]>(), paced: new Map<string, number[]>() };
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? settings : [...settings].reverse();
  const results = new Map<Setting, Awaited<ReturnType<typeof run>>>();
  for (const setting of order) results.set(setting, await run(setting));
  for (const phase of ['flatOut', 'paced'] as const) {
    const single = results.get('PG, 1 node')?.[phase].nodesMicrosPerEvent ?? Number.NaN;
    for (const setting of settings) {
      const result = results.get(setting)?.[phase];
      if (!result) continue;
      const gate = setting === 'PG, 2 nodes' ? result.nodesMicrosPerEvent / single : Number.NaN;
      if (!Number.isNaN(gate)) gates[phase].push(gate);
      lines[phase].push(row(round, setting, result, gate));
      if (withAudiences(setting)) {
        const without = results.get(setting.replace(' + audiences', '') as Setting)?.[phase].nodesMicrosPerEvent;
        const engine = setting.split(',')[0] as string;
        audienceCosts[phase].set(engine, [
          ...(audienceCosts[phase].get(engine) ?? []),
          result.nodesMicrosPerEvent / (without ?? Number.NaN),
        ]);
      }
    }
  }
}
for (const phase of ['flatOut', 'paced'] as const) {
  const sorted = [...gates[phase]].sort((a, b) => a - b);
  log('');
  log(phase === 'flatOut' ? '### Flat out' : `### Paced at ${pacedRate} events/s`);
  log('');
  for (const line of lines[phase]) log(line);
  log('');
  if (!isDefining) {
    log(
      `Nodes' CPU per event, 2 nodes ÷ 1 node: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)}, worst ${sorted.at(-1)?.toFixed(2)} (gate ≤ 1.20)`,
    );
  }
  for (const [engine, ratios] of audienceCosts[phase]) {
    const byCost = [...ratios].sort((a, b) => a - b);
    log(
      `${engine}: node CPU per event with audiences ÷ without, same round: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${byCost[Math.floor(byCost.length / 2)]?.toFixed(2)}, worst ${byCost.at(-1)?.toFixed(2)})`,
    );
  }
}
