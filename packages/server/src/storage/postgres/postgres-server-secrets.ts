import { type CursorCodec, createCursorCodec } from '../../contacts/cursor.js';
import { createIdentifierHasher, type IdentifierHasher } from '../identifier-hasher.js';
import type { PostgresPool } from './postgres-pool.js';

/** A secret the database made for itself in a migration (005: identifier_hash_key, cursor_key). */
export async function readPostgresServerSecret(pool: PostgresPool, name: string): Promise<Buffer> {
  const { rows } = await pool.query<{ value: Buffer }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  const key = rows[0]?.value;
  if (!(key instanceof Buffer) || key.length < 16) {
    throw new Error(`server_secrets has no ${name}: the database was not migrated`);
  }
  return key;
}

/** The codec of every paged list's cursors, under this database's key. */
export async function loadPostgresCursorCodec(pool: PostgresPool): Promise<CursorCodec> {
  return createCursorCodec(await readPostgresServerSecret(pool, 'cursor_key'));
}

/** The identifier hasher (storage/identifier-hasher.ts) under this database's key. */
export async function loadPostgresIdentifierHasher(pool: PostgresPool): Promise<IdentifierHasher> {
  return createIdentifierHasher(await readPostgresServerSecret(pool, 'identifier_hash_key'));
}
