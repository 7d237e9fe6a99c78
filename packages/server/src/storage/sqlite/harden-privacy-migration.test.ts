import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const year9999 = Date.parse('9999-12-31T00:00:00.000Z');
const march = Date.parse('2026-03-01T12:00:00.000Z');

/** A database as release 28664cb left it (schema 14), with what a far-future event wrote then. */
function poisonedDatabase(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db, migrations.slice(0, 14));
  db.prepare(
    `INSERT INTO profiles (first_seen_at, last_seen_at, created_at, updated_at, traits, trait_stamps)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    march,
    year9999,
    march,
    march,
    JSON.stringify({ name: 'Poisoned', plan: 'pro' }),
    JSON.stringify({ name: [year9999, 'poison'], plan: [march, 'm1'] }),
  );
  db.prepare(
    `INSERT INTO companies (group_id, traits, trait_stamps, first_seen_at, last_seen_at) VALUES ('acme', ?, ?, ?, ?)`,
  ).run(JSON.stringify({ name: 'Acme' }), JSON.stringify({ name: [year9999, 'poison'] }), march, year9999);
  db.prepare(
    `INSERT INTO events (source, type, message_id, user_id, timestamp, received_at, body, profile_id)
     VALUES ('default', 'identify', 'poison', 'u1', ?, ?, ?, 1)`,
  ).run(
    year9999,
    march,
    JSON.stringify({
      type: 'identify',
      timestamp: '9999-12-31T00:00:00.000Z',
      originalTimestamp: '9999-12-31T00:00:00Z',
    }),
  );
  db.prepare(
    `INSERT INTO credentials (id, kind, source, secret_hash, hint, created_at) VALUES ('cred_1', 'write_key', 'default', 'h', '…abcd', 1)`,
  ).run();
  // A value that an update replaced: with secure_delete off, its bytes stay in the page's free space.
  // (The second note keeps the first's cell away from the page's free area, so it is left behind.)
  db.prepare("INSERT INTO notes (profile_id, body, created_at) VALUES (1, 'stale-note-qxzvwj', 1)").run();
  db.prepare("INSERT INTO notes (profile_id, body, created_at) VALUES (1, 'second note', 2)").run();
  db.prepare("UPDATE notes SET body = 'a fresh note, longer than the one it replaces' WHERE created_at = 1").run();
  db.close();
}

describe('migration 015 (harden privacy)', () => {
  it('clamps far-future stamps, gives contacts random ids, kinds write keys and rewrites the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-015-'));
    const path = join(dir, 'weft.db');
    poisonedDatabase(path);
    const fileText = () =>
      readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(fileText()).toContain('stale-note-qxzvwj');

    const db = new Database(path);
    const before = Date.now();
    migrate(db);
    const after = Date.now();
    const profile = db.prepare('SELECT public_id, last_seen_at, trait_stamps FROM profiles').get() as {
      public_id: string;
      last_seen_at: number;
      trait_stamps: string;
    };
    expect(profile.public_id).toMatch(/^ct_[0-9a-f]{24}$/);
    const stamps = JSON.parse(profile.trait_stamps) as Record<string, [number, string]>;
    expect(stamps.name?.[0]).toBeGreaterThanOrEqual(before);
    expect(stamps.name?.[0]).toBeLessThanOrEqual(after);
    expect(stamps.plan).toEqual([march, 'm1']);
    expect(profile.last_seen_at).toBeLessThanOrEqual(after);
    const company = db.prepare('SELECT trait_stamps, last_seen_at FROM companies').get() as {
      trait_stamps: string;
      last_seen_at: number;
    };
    expect(JSON.parse(company.trait_stamps).name[0]).toBeLessThanOrEqual(after);
    expect(company.last_seen_at).toBeLessThanOrEqual(after);
    const event = db.prepare('SELECT timestamp, body FROM events').get() as { timestamp: number; body: string };
    expect(event.timestamp).toBe(march);
    expect(JSON.parse(event.body)).toMatchObject({
      timestamp: '2026-03-01T12:00:00.000Z',
      originalTimestamp: '9999-12-31T00:00:00Z',
    });
    expect(db.prepare('SELECT write_key_kind FROM credentials').pluck().get()).toBe('client');
    db.close();
    // VACUUM rewrote the file: the replaced note's bytes are gone, from the file and its log.
    expect(fileText()).not.toContain('stale-note-qxzvwj');
    expect(fileText()).toContain('a fresh note, longer');
  });
});
