import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating its folder if needed) and migrates the database.
 * WAL with synchronous=FULL: a commit is on disk before we answer 200, so neither a crash
 * nor a power cut loses an acknowledged event.
 */
export function openDatabase(path: string): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  applyPragmas(db);
  migrate(db);
  return db;
}

export function applyPragmas(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Reads: SQLite's default page cache is 2 MB, so a search counting 10,000 matches at a million
  // contacts went back to the file for most rows. Up to 64 MB of cache (allocated as pages are
  // read) and the file mapped for reads (the OS page cache, not this heap) keep it in memory.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
}
