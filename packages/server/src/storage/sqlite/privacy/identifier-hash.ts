import { createHmac } from 'node:crypto';
import type { Identifier } from '../../../identity/identity-rules.js';
import type { SqliteDatabase } from '../open-database.js';
import { readServerSecret } from '../server-secrets.js';

/** A keyed hash of an identifier, hex: what erasures and suppressions keep instead of the value. */
export type IdentifierHasher = (identifier: Identifier) => string;

/**
 * HMAC-SHA256 under the key migration 009 made for this database. Keyed, so that someone holding
 * the file cannot find an erased email by hashing guesses without also holding the key; the key
 * lives in the same file, which stops casual reading of a copy, not an attacker who has it all.
 */
export function loadIdentifierHasher(db: SqliteDatabase): IdentifierHasher {
  const key = readServerSecret(db, 'identifier_hash_key');
  return ({ type, value }) => createHmac('sha256', key).update(`${type}\u0000${value}`).digest('hex');
}
