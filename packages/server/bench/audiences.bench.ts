/**
 * pnpm bench:audiences — what audiences cost and how current they are, in one run:
 * 1. ingest of the `people` workload (bench-events.ts) with the 50 audiences and 20 computed traits
 *    of audience-rules.ts defined, as a ratio to ingest without them, round after round in alternating order
 *    (BENCH_ROUNDS, default 3), pair by pair and the worst pair;
 * 2. entry latency: from sending an event to receiving its audience.entered on the change stream,
 *    one probe at a time while 1,000 events/s of other load run (p50, p99, max);
 * 3. time-based exits: 300 contacts whose `trialStartedAt after -1h` turns false at one instant,
 *    with the sweeper every 5 s: each exit's commit time minus that instant (p50, p99, max);
 * 4. one sweep over BENCH_SWEEP_CONTACTS (1,000,000) contacts all due, first entering their
 *    audiences, then settled (audience-scale.ts);
 * 5. the backfill of one new audience over BENCH_BACKFILL_EVENTS (2,000,000) stored events;
 * 6. ingest beside the bulk jobs: on a server holding those events, ingest's request p99 at 1,000
 *    events/s idle, then while a new audience backfills and a preview reads every contact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAudienceRules, benchComputedTraits } from './audience-rules.js';
import { benchAdminToken, benchWriteKey, totalEventsOf } from './bench-events.js';
import { startBenchServer } from './bench-server.js';
import { runJson } from './run-json.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sweepContacts = Number(process.env.BENCH_SWEEP_CONTACTS ?? 1_000_000);
const backfillEvents = Number(process.env.BENCH_BACKFILL_EVENTS ?? 2_000_000);
/** Which parts run (all by default): ingest, latency, exits, sweep, backfill, beside. */
const parts = new Set((process.env.BENCH_PARTS ?? 'ingest,latency,exits,sweep,backfill,beside').split(','));
const admin = { Authorization: `Bearer ${benchAdminToken}`, 'Content-Type': 'application/json' };
const writer = {
  Authorization: `Basic ${Buffer.from(`${benchWriteKey}:`).toString('base64')}`,
  'Content-Type': 'application/json',
};
const line = (label: string, value: string) => console.log(`${label.padEnd(66)}${value}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function api(url: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: admin,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Defines the 20 bench computed traits and the 50 bench audiences, and waits until every one is ready. */
async function defineAudiences(url: string): Promise<void> {
  for (const { name, calculation } of benchComputedTraits()) {
    await api(url, 'POST', '/v1/computed-traits', { name, calculation });
  }
  const ids = new Map<string, string>();
  for (const { name, rule } of benchAudienceRules()) {
    const created = await api(url, 'POST', '/v1/audiences', { name, rule: rule((other) => ids.get(other) as string) });
    ids.set(name, created.id as string);
  }
  await untilReady(url);
}

async function untilReady(url: string): Promise<void> {
  for (;;) {
    const { data } = (await api(url, 'GET', '/v1/audiences')) as { data: { state: string }[] };
    const traits = (await api(url, 'GET', '/v1/computed-traits')) as { data: { state: string }[] };
    if ([...data, ...traits.data].every((definition) => definition.state === 'ready')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ingestRun(dir: string, name: string, withAudiences: boolean) {
  const server = await startBenchServer(join(dir, `${name}.db`));
  try {
    if (withAudiences) await defineAudiences(server.url);
    const load = await runJson('bench/load-generator.ts', [server.url, '8', 'people']);
    const { data } = (await api(server.url, 'GET', '/v1/audiences')) as { data: { memberCount: number }[] };
    return {
      eventsPerSecond: load.eventsPerSecond as number,
      p99Ms: load.p99Ms as number,
      failures: load.failures as number,
      members: data.reduce((sum, audience) => sum + audience.memberCount, 0),
    };
  } finally {
    await server.stop();
    rmSync(join(dir, `${name}.db`), { force: true });
  }
}

/** Reads SSE messages of the change stream into `onChange` until `signal` aborts. */
async function readStream(
  url: string,
  types: string,
  signal: AbortSignal,
  onChange: (change: { type: string; at: string; data: Record<string, unknown> }) => void,
) {
  const head = (await api(url, 'GET', '/v1/changes/head')) as { cursor: string };
  const res = await fetch(`${url}/v1/changes/stream?types=${types}`, {
    headers: { ...admin, 'Last-Event-ID': head.cursor },
    signal,
  });
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((row) => row.startsWith('data:'));
          buffer = buffer.slice(end + 2);
          if (data) onChange(JSON.parse(data.slice(5)));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  })();
  // Wrapped: an async function returning the promise itself would wait for the stream to end.
  return { done: reading };
}

async function post(url: string, batch: unknown[]): Promise<void> {
  const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: writer, body: JSON.stringify({ batch }) });
  if (res.status !== 200) throw new Error(`POST /v1/batch answered ${res.status}`);
  await res.arrayBuffer();
}

async function entryLatency(dir: string): Promise<void> {
  const server = await startBenchServer(join(dir, 'latency.db'));
  try {
    await defineAudiences(server.url);
    const probe = (await api(server.url, 'POST', '/v1/audiences', { name: 'probe', rule: { event: 'Probe Sent' } })).id;
    await untilReady(server.url);
    const stop = new AbortController();
    let arrived: (() => void) | undefined;
    const stream = await readStream(server.url, 'audience.entered', stop.signal, (change) => {
      if (change.data.audienceId === probe) arrived?.();
    });
    const background = runJson('bench/feed-lag-load.ts', [server.url, '1000', '25', 'background']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const latencies: number[] = [];
    for (let n = 0; n < 200; n++) {
      const entered = new Promise<void>((resolve) => (arrived = resolve));
      const started = performance.now();
      await post(server.url, [{ type: 'track', userId: `probe-${n}`, event: 'Probe Sent', messageId: `probe-${n}` }]);
      await Promise.race([entered, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const load = await background;
    stop.abort();
    await stream.done;
    line(
      'entry latency, event sent -> audience.entered on the stream',
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (target p99 <= 1,000 ms)`,
    );
    line(
      '  200 probes beside 1,000 events/s of other load',
      `background p99 ${(load.p99Ms as number).toFixed(1)} ms, ${load.failures} not 200`,
    );
  } finally {
    await server.stop();
  }
}

async function timedExits(dir: string): Promise<void> {
  const sweepSeconds = 5;
  const server = await startBenchServer(join(dir, 'exits.db'), {
    env: { WEFT_AUDIENCE_SWEEP_EVERY: `${sweepSeconds}s` },
  });
  try {
    const trial = (
      await api(server.url, 'POST', '/v1/audiences', {
        name: 'trial started within the hour',
        rule: { trait: 'trialStartedAt', op: 'after', value: '-1h' },
      })
    ).id;
    await untilReady(server.url);
    // Every contact's answer turns at one instant, 20 s from now.
    const startedAt = Date.now() - 3_600_000 + 20_000;
    const dueAt = startedAt + 3_600_000 + 1;
    const people = 300;
    for (let n = 0; n < people; n += 100) {
      await post(
        server.url,
        Array.from({ length: 100 }, (_, i) => ({
          type: 'identify',
          userId: `trial-${n + i}`,
          messageId: `trial-${n + i}`,
          traits: { trialStartedAt: new Date(startedAt).toISOString() },
        })),
      );
    }
    const lags: number[] = [];
    const stop = new AbortController();
    const stream = await readStream(server.url, 'audience.exited', stop.signal, (change) => {
      if (change.data.audienceId === trial) lags.push(Date.parse(change.at) - dueAt);
    });
    const deadline = dueAt + 3 * sweepSeconds * 1000;
    while (lags.length < people && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    await stream.done;
    line(
      `time-based exits, sweep every ${sweepSeconds} s: commit - due time`,
      `p50 ${fmt(percentile(lags, 50))} ms, p99 ${fmt(percentile(lags, 99))} ms, max ${fmt(Math.max(...lags))} ms, ${lags.length} of ${people} exits (target p99 <= ${fmt(sweepSeconds * 1000)} ms)`,
    );
    if (lags.length < people || percentile(lags, 99) > sweepSeconds * 1000) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

async function ingestBesideBulkJobs(dir: string): Promise<void> {
  const dbPath = join(dir, 'beside.db');
  await runJson('bench/audience-scale.ts', [dbPath, 'fill', String(backfillEvents)]);
  const server = await startBenchServer(dbPath);
  try {
    const steady = (prefix: string) => runJson('bench/feed-lag-load.ts', [server.url, '1000', '15', prefix]);
    const idle = await steady('idle');
    const rule = {
      event: 'Order Completed',
      where: [{ property: 'total', op: 'gte', value: 50 }],
      within: { days: 30 },
    };
    const started = performance.now();
    const busy = steady('busy');
    await api(server.url, 'POST', '/v1/audiences', { name: 'big spenders', rule });
    const previewDone = api(server.url, 'POST', '/v1/audiences/preview', {
      rule: { ...rule, count: { op: 'gte', n: 3 } },
    }).then(() => performance.now());
    await untilReady(server.url);
    const backfillSeconds = (performance.now() - started) / 1000;
    const previewSeconds = ((await previewDone) - started) / 1000;
    const during = await busy;
    const ratio = (during.p99Ms as number) / (idle.p99Ms as number);
    line(
      'ingest p99 at 1,000 events/s, idle / beside backfill and preview',
      `${(idle.p99Ms as number).toFixed(1)} ms, ${(during.p99Ms as number).toFixed(1)} ms: ${ratio.toFixed(2)}× (target <= 2)`,
    );
    line(
      `  backfill over ${fmt(backfillEvents)} events, preview over their contacts`,
      `${backfillSeconds.toFixed(1)} s to ready, preview answered after ${previewSeconds.toFixed(1)} s; ${(idle.failures as number) + (during.failures as number)} not 200`,
    );
  } finally {
    await server.stop();
  }
}

async function ingestRatio(dir: string): Promise<void> {
  const ratios: number[] = [];
  const rates: Record<'with' | 'without', number[]> = { with: [], without: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ('with' | 'without')[] = round % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
    const pair: Partial<Record<'with' | 'without', number>> = {};
    for (const variant of order) {
      const run = await ingestRun(dir, `people-${variant}-${round}`, variant === 'with');
      pair[variant] = run.eventsPerSecond;
      rates[variant].push(run.eventsPerSecond);
      if (run.failures > 0) process.exitCode = 1;
      line(
        `  round ${round + 1}, people (${fmt(totalEventsOf('people'))} events), ${variant} audiences`,
        `${fmt(run.eventsPerSecond)} events/s, p99 ${run.p99Ms.toFixed(1)} ms, ${run.failures} not 200` +
          (variant === 'with' ? `, ${fmt(run.members)} memberships` : ''),
      );
    }
    ratios.push((pair.with ?? 0) / (pair.without ?? 1));
  }
  line(
    'ingest with ÷ without 50 audiences + 20 computed traits, pair by pair',
    `${ratios.map((ratio) => ratio.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}, worst ${Math.min(...ratios).toFixed(3)}; target >= 0.7)`,
  );
  line('  medians', `with ${fmt(median(rates.with))} events/s, without ${fmt(median(rates.without))} events/s`);
}

async function sweepAtScale(dir: string): Promise<void> {
  const sweep = await runJson('bench/audience-scale.ts', [join(dir, 'sweep.db'), 'sweep', String(sweepContacts)]);
  const first = sweep.first as Record<string, number>;
  const settled = sweep.settled as Record<string, number>;
  line(
    `sweep over ${fmt(sweepContacts)} contacts all due, 50 audiences + 20 computed traits: first`,
    `${first.seconds?.toFixed(1)} s, ${fmt(first.perSecond ?? 0)} contacts/s, ${fmt(first.changes ?? 0)} entries, longest step ${first.longestStepMs?.toFixed(1)} ms`,
  );
  line(
    '  settled (all due again, nothing changes)',
    `${settled.seconds?.toFixed(1)} s, ${fmt(settled.perSecond ?? 0)} contacts/s, ${fmt(settled.changes ?? 0)} changes, longest step ${settled.longestStepMs?.toFixed(1)} ms`,
  );
  rmSync(join(dir, 'sweep.db'), { force: true });
}

async function backfillAtScale(dir: string): Promise<void> {
  const backfill = await runJson('bench/audience-scale.ts', [
    join(dir, 'backfill.db'),
    'backfill',
    String(backfillEvents),
  ]);
  line(
    `backfill of one audience over ${fmt(backfillEvents)} stored events`,
    `${fmt(backfill.eventsPerSecond as number)} events/s counted (${(backfill.countSeconds as number).toFixed(1)} s), ` +
      `${(backfill.seconds as number).toFixed(1)} s with evaluating ${fmt(backfill.profiles as number)} contacts, ` +
      `longest step ${(backfill.longestStepMs as number).toFixed(1)} ms, ${fmt(backfill.members as number)} members`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'weft-audiences-'));
try {
  console.log(
    `weft audiences bench: ${[...parts].join(', ')}; ${rounds} round(s) of with/without 50 audiences + 20 computed traits; load average ${loadavg()[0]?.toFixed(2)}`,
  );
  if (parts.has('ingest')) await ingestRatio(dir);
  if (parts.has('latency')) await entryLatency(dir);
  if (parts.has('exits')) await timedExits(dir);
  if (parts.has('sweep')) await sweepAtScale(dir);
  if (parts.has('backfill')) await backfillAtScale(dir);
  if (parts.has('beside')) await ingestBesideBulkJobs(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
