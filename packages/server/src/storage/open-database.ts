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
}
