import { createIdentifierHasher, type IdentifierHasher } from '../../identifier-hasher.js';
import type { SqliteDatabase } from '../open-database.js';
import { readServerSecret } from '../server-secrets.js';

/** The hasher under the key migration 009 made for this database (storage/identifier-hasher.ts). */
export function loadIdentifierHasher(db: SqliteDatabase): IdentifierHasher {
  return createIdentifierHasher(readServerSecret(db, 'identifier_hash_key'));
}
