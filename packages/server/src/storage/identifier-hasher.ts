import { createHmac } from 'node:crypto';
import type { Identifier } from '../identity/identity-rules.js';

/** A keyed hash of an identifier, hex: what erasures and suppressions keep instead of the value. */
export type IdentifierHasher = (identifier: Identifier) => string;

/**
 * HMAC-SHA256 under the key the database made for itself (its identifier_hash_key), for both
 * engines. Keyed, so that someone holding the data cannot find an erased email by hashing guesses
 * without also holding the key; the key lives with the data, which stops casual reading of a copy,
 * not an attacker who has it all.
 */
export function createIdentifierHasher(key: Buffer): IdentifierHasher {
  return ({ type, value }) => createHmac('sha256', key).update(`${type}\u0000${value}`).digest('hex');
}
