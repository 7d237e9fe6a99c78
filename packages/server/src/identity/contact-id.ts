import { randomBytes } from 'node:crypto';

/**
 * The id a contact is known by outside the server: `ct_` and 20 hex digits, 80 random bits. Random
 * rather than counted, because a counter names someone else once it is reissued (SQLite hands an
 * erased contact's integer key to the next one, and a restore from backup rewinds every counter);
 * a random id, once issued, never names another person. Profiles keep an integer key inside, for
 * the indexes; migration 015 gave every profile made before it one of these.
 */
export function newContactId(): string {
  return `ct_${randomBytes(10).toString('hex')}`;
}

const contactIdPattern = /^ct_[0-9a-f]{20}$/;

export function isContactId(text: string): boolean {
  return contactIdPattern.test(text);
}
