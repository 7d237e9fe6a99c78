import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function indexNames(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all();
  return (rows as { name: string }[]).map((row) => row.name).sort();
}

describe('migrate', () => {
  it('upgrades a database made by an older schema, keeping its events', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(old, migrations.slice(0, 1)); // what the first release shipped
    old
      .prepare(
        `INSERT INTO events (source, type, message_id, user_id, timestamp, received_at, body)
         VALUES ('default', 'track', 'm-old', 'u1', 1, 1, '{}')`,
      )
      .run();
    old.close();

    const db = new Database(path);
    const report = migrate(db);
    expect(report).toEqual({
      from: 1,
      to: migrations.length,
      applied: migrations.slice(1).map((migration) => `${migration.version} ${migration.name}`),
    });
    expect(db.prepare('SELECT message_id FROM events').pluck().all()).toEqual(['m-old']);
    expect(indexNames(db)).toEqual(
      expect.arrayContaining([
        'companies_last_seen',
        'events_profile_timeline',
        'events_source_message_id',
        'identifiers_profile',
        'merges_survivor',
        'notes_profile_created',
        'profile_companies_company',
        'profiles_live_created',
        'profiles_live_email',
        'profiles_live_first_seen',
        'profiles_live_last_seen',
        'profiles_merged_into',
        'suppressions_by_time',
        'manual_edits_profile',
      ]),
    );
    expect(db.prepare('SELECT profile_id FROM events').pluck().all()).toEqual([null]);
    expect(db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(0);
    db.close();
  });

  it('does nothing on an up-to-date database', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toEqual({ from: migrations.length, to: migrations.length, applied: [] });
  });

  it('refuses a database from a newer Weft', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/schema version 99 is newer/);
  });

  it('rolls back a migration that fails halfway', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
    const db = new Database(':memory:');
    const broken = {
      version: 1,
      name: 'broken',
      up: (d: Database.Database) => d.exec('CREATE TABLE half (x); CREATE TABLE nope ('),
    };
    expect(() => migrate(db, [broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
  });
});
