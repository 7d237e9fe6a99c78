import type { SqliteDatabase } from '../storage/sqlite/open-database.js';

const statements = new WeakMap<SqliteDatabase, Map<string, ReturnType<SqliteDatabase['prepare']>>>();

/**
 * Writes a profile row straight into SQL, as the tests of indexes and triggers do, on a database of
 * any schema version: from migration 015 on, with a random contact id (`public_id`), as identity
 * gives each profile. Answers the row's integer key.
 */
export function insertRawProfile(db: SqliteDatabase, columns: Record<string, unknown>): number {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  const names = Object.keys(columns);
  const key = names.join(',');
  let insert = cache.get(key);
  if (!insert) {
    const hasPublicId = db.prepare("SELECT 1 FROM pragma_table_info('profiles') WHERE name = 'public_id'").get();
    const placeholders = names.map((name) => `@${name}`);
    if (hasPublicId) {
      names.unshift('public_id');
      placeholders.unshift("'ct_' || lower(hex(randomblob(12)))");
    }
    insert = db.prepare(`INSERT INTO profiles (${names.join(', ')}) VALUES (${placeholders.join(', ')})`);
    cache.set(key, insert);
  }
  return Number(insert.run(columns).lastInsertRowid);
}
