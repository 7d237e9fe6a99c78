import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type SqliteDatabase = Database.Database;

/** SQLite's page cache, in MiB, unless WEFT_CACHE_MB says otherwise (config/load-config.ts). */
export const defaultCacheMb = 256;

export interface DatabaseOptions {
  readonly cacheMb: number;
  /**
   * Zero freed cells and pages (default on). Only `pnpm bench:ingest` turns it off, to measure
   * what it costs; no setting exposes it.
   */
  readonly secureDelete: boolean;
}

const defaultOptions: DatabaseOptions = { cacheMb: defaultCacheMb, secureDelete: true };

/**
 * Opens (creating its folder if needed) and migrates the database.
 * WAL with synchronous=FULL: a commit is on disk before we answer 200, so neither a crash
 * nor a power cut loses an acknowledged event.
 */
export function openDatabase(path: string, options: Partial<DatabaseOptions> = {}): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  applyPragmas(db, { ...defaultOptions, ...options });
  migrate(db);
  return db;
}

export function applyPragmas(db: SqliteDatabase, options: DatabaseOptions = defaultOptions): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Every freed cell and page is overwritten with zeros, now and whenever a row moves or shrinks:
  // an erased contact's values must not outlive it in free space, including copies an update left
  // behind long before the erasure (privacy/erase-contact.ts; the cost is in docs/benchmarks.md).
  db.pragma(`secure_delete = ${options.secureDelete ? 'ON' : 'OFF'}`);
  // Reads: SQLite's default page cache is 2 MB, so a search counting 10,000 matches at a million
  // contacts went back to the file for most rows. The cache is allocated as pages are read, up to
  // `cacheMb`. No mmap: mapped pages are the OS's to evict, and on a machine that reclaims file
  // pages (bench:contacts saw 400 MB re-read per run) that made every search's time a lottery;
  // pages in this cache stay until SQLite itself evicts them.
  db.pragma(`cache_size = ${-Math.round(options.cacheMb * 1024)}`);
  db.pragma('mmap_size = 0');
}
