import { afterEach, describe, expect, it } from 'vitest';
import { define, settle } from '../../testing/audience-definitions.js';
import { randomBatches } from '../../testing/random-batches.js';
import type { SqliteDatabase } from '../sqlite/open-database.js';
import { newEvents } from '../store-harness.contract.js';
import { createPostgresPool, type PostgresPool } from './postgres-pool.js';
import { openPostgresBesideSqlite, openPostgresParts, postgresParts } from './postgres-store-parts.js';
import { testPostgresUrl } from './postgres-test-kit.js';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

const minute = 60_000;

interface AudienceRows {
  live: { id: number }[];
  identifiers: { type: string; value: string; profile_id: number }[];
  records: {
    profile_id: number;
    hours: string;
    members: string;
    computed: string;
    due_at: number | null;
    seen_at: number | null;
  }[];
  members: { audience_id: string; profile_id: number; entered_at: number; is_backfill: number | boolean }[];
  changes: { type: string; data: string }[];
}
const audienceSql = {
  live: 'SELECT id FROM profiles WHERE merged_into IS NULL',
  identifiers: 'SELECT type, value, profile_id FROM identifiers',
  records: 'SELECT profile_id, hours, members, computed, due_at, seen_at FROM audience_profiles',
  members: 'SELECT audience_id, profile_id, entered_at, is_backfill FROM audience_members',
  changes: "SELECT type, data FROM changes WHERE type LIKE 'audience.%' OR data LIKE '%computed%' ORDER BY seq",
};

/** Audience state as both engines can be compared: by the contact's identifiers and the audience's name. */
function audienceView(rows: AudienceRows, names: ReadonlyMap<string, string>) {
  const who = (profileId: number) =>
    rows.identifiers
      .filter((row) => row.profile_id === profileId)
      .map((row) => `${row.type}:${row.value}`)
      .sort()
      .join(' ');
  const named = (text: string) => {
    let out = text.replace(/ct_[0-9a-f]{24}/g, 'ct');
    for (const [id, name] of names) out = out.replaceAll(id, name);
    return out;
  };
  const records = rows.records
    .map((row) => ({
      who: who(row.profile_id),
      hours: JSON.parse(row.hours) as unknown,
      members: Object.fromEntries(
        Object.entries(JSON.parse(row.members) as Record<string, unknown>).map(([id, entry]) => [names.get(id), entry]),
      ),
      computed: JSON.parse(row.computed) as unknown,
      dueAt: row.due_at,
      seenAt: row.seen_at,
    }))
    .sort((a, b) => a.who.localeCompare(b.who));
  const members = rows.members
    .map((row) => `${names.get(row.audience_id)} ${who(row.profile_id)} ${row.entered_at} ${Number(row.is_backfill)}`)
    .sort();
  return {
    live: rows.live.length,
    records,
    members,
    changes: rows.changes.map((row) => `${row.type} ${named(row.data)}`),
  };
}

async function postgresView(pool: PostgresPool, names: ReadonlyMap<string, string>) {
  const rows: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(audienceSql)) rows[name] = (await pool.query(sql)).rows;
  return audienceView(rows as unknown as AudienceRows, names);
}
function sqliteView(db: SqliteDatabase, names: ReadonlyMap<string, string>) {
  const rows: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(audienceSql)) rows[name] = db.prepare(sql).all();
  return audienceView(rows as unknown as AudienceRows, names);
}

describe('PostgreSQL audiences', () => {
  it('keep the same memberships, computed values and audience changes as SQLite for the same batches (seeded)', async () => {
    for (const seed of [21, 22, 23, 24]) {
      const postgres = await openPostgresBesideSqlite();
      closing.push(postgres.close);
      const { sqlite, db } = postgres;
      const batches = randomBatches(seed, 40);
      // Odd seeds define everything first; even seeds after half the batches, so that a backfill
      // counts what was stored before and ingest the rest.
      const definedAt = seed % 2 === 1 ? 0 : 20;
      let names = new Map<string, string>();
      for (const [index, batch] of batches.entries()) {
        if (index === definedAt) {
          names = new Map([
            ...(await define(sqlite, postgres.clock)),
            ...(await define(postgres.store, postgres.clock)),
          ]);
          await settle(sqlite);
          await settle(postgres.store);
        }
        const events = newEvents(postgres, batch);
        expect(await postgres.store.events.insertEvents(events)).toEqual(await sqlite.events.insertEvents(events));
        // Time moves on: windows close, and the sweeper exits contacts on both.
        postgres.clock.time += 7 * minute;
        await settle(sqlite);
        await settle(postgres.store);
      }
      const expected = sqliteView(db, names);
      expect(expected.members.length, `seed ${seed}`).toBeGreaterThan(5);
      expect(
        expected.changes.some((change) => change.startsWith('audience.exited')),
        `seed ${seed}`,
      ).toBe(true);
      expect(await postgresView(postgres.schema.pool, names), `seed ${seed}`).toEqual(expected);
    }
  }, 120_000);
});

describe('PostgreSQL audiences on two servers', () => {
  it('count every event once while both store the same people and one defines an audience meanwhile', async () => {
    const postgres = await openPostgresParts();
    closing.push(postgres.close);
    const otherPool = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 4 });
    closing.push(() => otherPool.end());
    const other = await postgresParts(otherPool, postgres.schema.schema, () => postgres.clock.time);
    const servers = [postgres.store, other];
    const people = Array.from({ length: 8 }, (_, index) => index);
    let sent = 0;
    // Each person's devices view things, and are identified as the person now and then: merges, on
    // either server, while the other stores the same person's views.
    const send = (round: number) =>
      Promise.all(
        people.flatMap((person) =>
          servers.map((server, index) => {
            sent += 1;
            const device = `a${person}-${(round + index) % 3}`;
            const batch =
              round % 4 === 3
                ? [{ type: 'identify', userId: `u${person}`, anonymousId: device }]
                : [
                    { type: 'track', event: 'Viewed', anonymousId: device },
                    { type: 'track', event: 'Viewed', userId: `u${person}` },
                  ];
            return server.events.insertEvents(newEvents(postgres, batch));
          }),
        ),
      );
    let defined: Promise<unknown> | undefined;
    for (let round = 0; round < 16; round++) {
      if (round === 6) {
        defined = (async () => {
          await postgres.store.computedTraits.create({
            name: 'views',
            calculation: { event: 'Viewed', aggregate: 'count' },
          });
          return postgres.store.audiences.create({
            name: 'viewers',
            rule: { event: 'Viewed', count: { op: 'gte', n: 5 } },
          });
        })();
      }
      await send(round);
    }
    await defined;
    while (await other.audiences.backfillStep(5)) {}
    expect(sent).toBe(16 * 8 * 2);

    const { rows } = await postgres.schema.pool.query<{ id: number; views: number }>(
      `SELECT coalesce(p.merged_into, p.id) AS id, count(*)::int AS views FROM events AS e
       JOIN profiles AS p ON p.id = e.profile_id WHERE e.event = 'Viewed' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const [viewers] = await postgres.store.audiences.list();
    const members = (await postgres.store.audiences.members(viewers?.id ?? '', 0, 100)).map((row) => row.profileId);
    for (const row of rows) {
      expect((await other.computedTraits.valuesOf(row.id)).views, `profile ${row.id}`).toBe(row.views);
    }
    expect(members).toEqual(rows.filter((row) => row.views >= 5).map((row) => row.id));
  }, 60_000);
});
