import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/index.js';
import { migrations as allMigrations } from './migrations/index.js';

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/** Applies, each in its own transaction, the migrations newer than the database's `user_version`. */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): MigrationReport {
  assertOrdered(migrations);
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new Error(`database schema version ${from} is newer than this server knows (${latest}); upgrade Weft`);
  }
  const applied: string[] = [];
  let isVacuumOwed = false;
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(`${migration.version} ${migration.name}`);
    isVacuumOwed ||= migration.vacuumAfter === true;
  }
  // A fresh database (from 0) has no old bytes to clear.
  if (isVacuumOwed && from > 0) rewriteFile(db);
  return { from, to: Math.max(from, latest), applied };
}

/**
 * VACUUM writes every live row into a new file and drops the old pages, freed space and all; the
 * checkpoint then empties the write-ahead log, which held the old pages' copies too.
 */
function rewriteFile(db: Database): void {
  db.exec('VACUUM');
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
