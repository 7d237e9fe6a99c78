import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations/index.js';
import { openDatabase } from './open-database.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('creates the folder and opens the file in WAL mode with synchronous=FULL', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-db-'));
    const db = openDatabase(join(dir, 'nested', 'folder', 'weft.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL: the WAL is fsynced at every commit, so an acknowledged event survives a power cut.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('applies every migration to a new database', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-db-'));
    const db = openDatabase(join(dir, 'weft.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    for (const table of ['identifiers', 'erasures', 'suppressions']) {
      expect(db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(table)).toBe(1);
    }
    db.close();
  });
});
