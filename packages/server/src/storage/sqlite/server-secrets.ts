import { type CursorCodec, createCursorCodec } from '../../contacts/cursor.js';
import type { SqliteDatabase } from './open-database.js';

/**
 * A secret the server made for itself in a migration (009: identifier_hash_key, 013: cursor_key),
 * kept in the database so that it outlives restarts and moves with the data.
 */
export function readServerSecret(db: SqliteDatabase, name: string): Buffer {
  const key = db.prepare('SELECT value FROM server_secrets WHERE name = ?').pluck().get(name);
  if (!(key instanceof Buffer) || key.length < 16) {
    throw new Error(`server_secrets has no ${name}: the database was not migrated`);
  }
  return key;
}

/** The codec under this database's cursor key. */
export function loadCursorCodec(db: SqliteDatabase): CursorCodec {
  return createCursorCodec(readServerSecret(db, 'cursor_key'));
}
