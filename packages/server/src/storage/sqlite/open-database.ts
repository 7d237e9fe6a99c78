import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type SqliteDatabase = Database.Database;

/** SQLite's page cache, in MiB, unless WEFT_CACHE_MB says otherwise (config/load-config.ts). */
export const defaultCacheMb = 256;

/**
 * SQLite's secure_delete: `fast` zeroes freed cells in the pages a write touches anyway, `on` also
 * writes every freed page again as zeros, `off` leaves freed bytes as they were.
 */
export type SecureDelete = 'fast' | 'on' | 'off';

export interface DatabaseOptions {
  readonly cacheMb: number;
  /**
   * `fast` by default. Erasure does not rest on it: it rewrites the file (privacy/purge-file.ts),
   * which leaves no freed page and no stale cell behind. Only `pnpm bench:ingest` sets another
   * value, to measure what each costs; no setting exposes it.
   */
  readonly secureDelete: SecureDelete;
}

const defaultOptions: DatabaseOptions = { cacheMb: defaultCacheMb, secureDelete: 'fast' };

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
  // Freed cells are zeroed as their pages are written: a changed email or an edited note does not
  // linger in the page it left. (`on` also rewrites freed pages, at a cost in I/O measured in
  // docs/benchmarks.md; erasure rewrites the whole file instead.)
  db.pragma(`secure_delete = ${options.secureDelete.toUpperCase()}`);
  // Reads: SQLite's default page cache is 2 MB, so a search counting 10,000 matches at a million
  // contacts went back to the file for most rows. The cache is allocated as pages are read, up to
  // `cacheMb`. No mmap: mapped pages are the OS's to evict, and on a machine that reclaims file
  // pages (bench:contacts saw 400 MB re-read per run) that made every search's time a lottery;
  // pages in this cache stay until SQLite itself evicts them.
  db.pragma(`cache_size = ${-Math.round(options.cacheMb * 1024)}`);
  db.pragma('mmap_size = 0');
}

/**
 * Runs writes whose commit need not wait for the disk: a process crash loses none of them (WAL), a
 * power cut the last of them, until the next commit that waits (every other one, at FULL). For
 * bookkeeping that is made again when lost (a webhook queue's read position and attempt outcomes:
 * the messages are then sent again, with their same webhook-id).
 */
export function createUnflushedWriter(db: SqliteDatabase): <T>(write: () => T) => T {
  const level = db.prepare<[], number>('PRAGMA synchronous').pluck();
  const normal = db.prepare('PRAGMA synchronous = NORMAL');
  const full = db.prepare('PRAGMA synchronous = FULL');
  return (write) => {
    if (level.get() !== 2) return write();
    normal.run();
    try {
      return write();
    } finally {
      full.run();
    }
  };
}
