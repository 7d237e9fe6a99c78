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

  it('keeps a page cache of WEFT_CACHE_MB (256 MiB by default) and maps no file pages', () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-db-'));
    const byDefault = openDatabase(join(dir, 'default.db'));
    // A negative cache_size is in KiB.
    expect(byDefault.pragma('cache_size', { simple: true })).toBe(-256 * 1024);
    expect(byDefault.pragma('mmap_size', { simple: true })).toBe(0);
    byDefault.close();
    const small = openDatabase(join(dir, 'small.db'), { cacheMb: 8 });
    expect(small.pragma('cache_size', { simple: true })).toBe(-8 * 1024);
    small.close();
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
