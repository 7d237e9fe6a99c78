import { randomBytes } from 'node:crypto';

/**
 * The id a contact is known by outside the server: `ct_`, 11 hex digits of the creation time in
 * milliseconds, then 13 random hex digits (52 bits). Not a counter, because a counter names someone
 * else once it is reissued (SQLite hands an erased contact's integer key to the next one, and a
 * restore from backup rewinds every counter); an id drawn at random, once issued, never names another
 * person. The time in front keeps new ids at the end of their unique index: a random one put each
 * new contact on its own page of that index, and every commit wrote a hundred more pages.
 * Profiles keep an integer key inside, for the indexes; migration 015 gave every profile made before
 * it one of these, with its created_at as the time.
 */
export function newContactId(now: number = Date.now()): string {
  return `ct_${now.toString(16).padStart(11, '0')}${randomHex13()}`;
}

/**
 * Random bytes are drawn 4 KB at a time: a draw per contact took 1.8 µs against 0.15 µs from the
 * pool (200,000 ids, this machine), and a profile of ingest while new people arrive put 3% of its
 * CPU in those draws. Each id takes 7 bytes no other id is given.
 */
const poolBytes = 4_096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomHex13(): string {
  if (poolOffset + 7 > pool.length) {
    pool = randomBytes(poolBytes);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + 7);
  poolOffset += 7;
  return hex.slice(0, 13);
}

const contactIdPattern = /^ct_[0-9a-f]{24}$/;

export function isContactId(text: string): boolean {
  return contactIdPattern.test(text);
}
