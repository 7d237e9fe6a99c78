import { afterEach, describe, expect, it } from 'vitest';
import type { ErasureSummary } from '../../privacy/privacy-store.js';
import { newEvents } from '../store-harness.contract.js';
import { lockNames, takeLocks } from './advisory-locks.js';
import { createPostgresPool } from './postgres-pool.js';
import { loadPostgresIdentifierHasher } from './postgres-server-secrets.js';
import { openPostgresParts, postgresParts } from './postgres-store-parts.js';
import { testPostgresUrl } from './postgres-test-kit.js';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

describe('PostgreSQL erasure', () => {
  it('erases a contact while another server stores its events: every event erased or kept, every identifier erased or owned', async () => {
    const postgres = await openPostgres();
    const people = Array.from({ length: 20 }, (_, index) => index);
    for (const person of people) {
      await postgres.store.events.insertEvents(
        newEvents(postgres, [
          { type: 'identify', userId: `u${person}`, anonymousId: `a${person}`, traits: { email: `e${person}@x.io` } },
        ]),
      );
    }
    const { queries } = postgres.store.contacts;
    const ids = await Promise.all(
      people.map(async (person) => (await queries.profileByIdentifier('user_id', `u${person}`))?.id),
    );
    postgres.clock.time += 60_000;
    // Another server, with connections of its own, stores each person's events while they are
    // erased: tracks by their device, and an identify that gives them a new email. Sent at the
    // erasure's time, none is refused: each lands in the erased contact or in a new one.
    const other = createPostgresPool(testPostgresUrl, { schema: postgres.schema.schema, max: 8 });
    closing.push(() => other.end());
    const otherEvents = (await postgresParts(other, postgres.schema.schema, () => postgres.clock.time)).events;
    const summaries = new Map<number, ErasureSummary>();
    const settled = await Promise.allSettled(
      people.flatMap((person) => [
        ...[1, 2, 3, 4].map(() =>
          otherEvents.insertEvents(
            newEvents(postgres, [{ type: 'track', event: 'Viewed', anonymousId: `a${person}` }]),
          ),
        ),
        otherEvents.insertEvents(
          newEvents(postgres, [{ type: 'identify', userId: `u${person}`, traits: { email: `f${person}@x.io` } }]),
        ),
        postgres.store.privacy.eraser
          .erase(ids[person] as number, { suppress: false })
          .then((summary) => summaries.set(person, summary)),
      ]),
    );
    expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);

    const { pool } = postgres.schema;
    const orphans = await pool.query(
      'SELECT id FROM events WHERE NOT EXISTS (SELECT 1 FROM profiles WHERE profiles.id = events.profile_id)',
    );
    expect(orphans.rows).toEqual([]);
    const hashOf = await loadPostgresIdentifierHasher(pool);
    for (const person of people) {
      // The first identify and the five sent meanwhile: each erased with the contact, or in the new one.
      const kept = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE anonymous_id = $1 OR user_id = $2`,
        [`a${person}`, `u${person}`],
      );
      expect((summaries.get(person)?.events ?? 0) + (kept.rows[0]?.n ?? 0), `person ${person}`).toBe(6);
      expect(summaries.get(person)?.profiles).toBe(1);
      // The new email was given to someone: to the erased contact (then it is erased too) or to the new one.
      const email = { type: 'email', value: `f${person}@x.io` };
      const owned = await queries.profileByIdentifier(email.type, email.value);
      const erased = await pool.query('SELECT 1 FROM erasures WHERE identifier_hash = $1', [hashOf(email)]);
      expect(owned !== undefined || erased.rowCount === 1, `person ${person}'s new email`).toBe(true);
    }
  });

  it('erases an identifier another server gave the contact while the erasure waited for its locks', async () => {
    const postgres = await openPostgres();
    await postgres.store.events.insertEvents(
      newEvents(postgres, [{ type: 'identify', userId: 'u1', traits: { email: 'old@x.io' } }]),
    );
    const profile = await postgres.store.contacts.queries.profileByIdentifier('user_id', 'u1');
    const { pool } = postgres.schema;
    // Another server's batch holds u1's lock and is giving the contact a new email, not committed yet.
    const batch = await pool.connect();
    await batch.query('BEGIN');
    await takeLocks(batch, [lockNames.identifier({ type: 'user_id', value: 'u1' })]);
    await batch.query(
      "INSERT INTO identifiers (type, value, profile_id, first_seen_at) VALUES ('email', 'new@x.io', $1, 0)",
      [profile?.id],
    );
    postgres.clock.time += 60_000;
    const erasing = postgres.store.privacy.eraser.erase(profile?.id as number, { suppress: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await batch.query('COMMIT');
    batch.release();
    expect((await erasing).identifiers).toBe(3);
    const hashOf = await loadPostgresIdentifierHasher(pool);
    const { rows } = await pool.query<{ identifier_hash: string }>('SELECT identifier_hash FROM erasures');
    expect(rows.map((row) => row.identifier_hash).sort()).toEqual(
      [
        { type: 'user_id', value: 'u1' },
        { type: 'email', value: 'old@x.io' },
        { type: 'email', value: 'new@x.io' },
      ]
        .map(hashOf)
        .sort(),
    );
  });
});

async function openPostgres() {
  const postgres = await openPostgresParts();
  closing.push(postgres.close);
  return postgres;
}
