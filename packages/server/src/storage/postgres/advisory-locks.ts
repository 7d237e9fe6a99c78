import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Identifier } from '../../identity/identity-rules.js';

/**
 * The transaction-scoped advisory locks that keep several servers from writing one thing at once
 * (docs/scaling.md): every writer names what it will touch the same way, and takes all its locks in
 * one statement, in ascending key order, so that two writers never wait on each other in a circle.
 */
export const lockNames = {
  /** A stored event: source and messageId. */
  event: (source: string, messageId: string) => `event\u0000${source}\u0000${messageId}`,
  /** An identifier: whoever holds it may give it an owner. */
  identifier: (identifier: Identifier) => `identifier\u0000${identifier.type}\u0000${identifier.value}`,
  /** A company, by groupId. */
  company: (groupId: string) => `company\u0000${groupId}`,
};

/** A 64-bit advisory lock key for a name: the first 8 bytes of its SHA-256, signed. */
export function lockKeyOf(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
}

/** Takes the locks of `names` until the transaction ends, in key order, in one round trip. */
export async function takeLocks(client: pg.PoolClient, names: Iterable<string>): Promise<void> {
  const keys = [...new Set([...names].map(lockKeyOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return;
  await client.query(
    'SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t (k, n) ORDER BY n',
    [keys.map(String)],
  );
}
