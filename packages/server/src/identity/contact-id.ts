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
  return `ct_${now.toString(16).padStart(11, '0')}${randomBytes(7).toString('hex').slice(0, 13)}`;
}

const contactIdPattern = /^ct_[0-9a-f]{24}$/;

export function isContactId(text: string): boolean {
  return contactIdPattern.test(text);
}
