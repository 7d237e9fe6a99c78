import type { Migration } from './types.js';

// Frozen with the migration: the future tolerance ingest applied when it shipped (10 minutes).
const toleranceMs = 10 * 60_000;

interface StampedRow {
  readonly id: number;
  readonly trait_stamps: string;
}

/**
 * What the hardening of the write key and of erasure needs from the schema:
 * - `profiles.public_id`: the id the API shows (`ct_`, the creation time and random digits: see
 *   identity/contact-id.ts, which makes them from now on). The integer key
 *   stays for the indexes; it is reused once the highest row is erased, and counters are reissued
 *   after a restore, so it never leaves the server again.
 * - Far-future stamps, written before ingest clamped timestamps, are brought back to now: a trait
 *   stamped 9999-12-31 could not be changed by any event or edit. Events, profiles and companies
 *   alike; an event keeps the client's value in its body's `originalTimestamp`.
 * - `credentials.write_key_kind`: client or server, for the identity rules' join rule. Keys made
 *   before it are client keys, the kind a browser page may expose.
 * - `notes.updated_at`: notes can be edited.
 * Then the file is rewritten once (vacuumAfter): bytes freed while secure_delete was off, copies of
 * rows from before an update or of erased contacts, are gone from a database of an earlier release.
 */
export const hardenPrivacy: Migration = {
  version: 15,
  name: 'harden privacy',
  vacuumAfter: true,
  up(db) {
    const now = Date.now();
    const limit = now + toleranceMs;
    db.exec(`
      ALTER TABLE profiles ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
      UPDATE profiles SET public_id = 'ct_' || printf('%011x', created_at) || substr(lower(hex(randomblob(7))), 1, 13);
      CREATE UNIQUE INDEX profiles_public_id ON profiles (public_id);

      ALTER TABLE credentials ADD COLUMN write_key_kind TEXT CHECK (write_key_kind IN ('client', 'server'));
      UPDATE credentials SET write_key_kind = 'client' WHERE kind = 'write_key';

      ALTER TABLE notes ADD COLUMN updated_at INTEGER;
    `);
    db.prepare(
      `UPDATE events SET timestamp = received_at,
         body = json_set(body, '$.timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', received_at / 1000.0, 'unixepoch'))
       WHERE timestamp > received_at + ?`,
    ).run(toleranceMs);
    db.prepare('UPDATE profiles SET last_seen_at = ? WHERE last_seen_at > ?').run(now, limit);
    db.prepare('UPDATE profiles SET first_seen_at = ? WHERE first_seen_at > ?').run(now, limit);
    db.prepare('UPDATE companies SET last_seen_at = ? WHERE last_seen_at > ?').run(now, limit);
    db.prepare('UPDATE companies SET first_seen_at = ? WHERE first_seen_at > ?').run(now, limit);
    for (const table of ['profiles', 'companies']) {
      const poisoned = db
        .prepare<[number], StampedRow>(
          `SELECT id, trait_stamps FROM ${table}
           WHERE EXISTS (SELECT 1 FROM json_each(trait_stamps) WHERE json_extract(value, '$[0]') > ?)`,
        )
        .all(limit);
      const rewrite = db.prepare<[string, number]>(`UPDATE ${table} SET trait_stamps = ? WHERE id = ?`);
      for (const row of poisoned) {
        const stamps = JSON.parse(row.trait_stamps) as Record<string, [number, string]>;
        for (const stamp of Object.values(stamps)) if (stamp[0] > limit) stamp[0] = now;
        rewrite.run(JSON.stringify(stamps), row.id);
      }
    }
  },
};
