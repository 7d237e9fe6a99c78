import { isContactId } from '../identity/contact-id.js';
import { normalizeEmail, normalizeType } from '../identity/read-identity-event.js';

/** What `/v1/contacts/{ref}` names: a contact id (`ct_…`), or one of a profile's identifiers. */
export type ContactRef =
  | { readonly kind: 'id'; readonly id: string }
  /** Digits alone: the integer ids of releases before contact ids were random; never looked up. */
  | { readonly kind: 'retired_id' }
  | { readonly kind: 'identifier'; readonly type: string; readonly value: string };

/**
 * `ct_` and 24 hex digits is a contact id; digits alone an integer id of an earlier release, refused
 * because such an id may now name someone else; otherwise `type:value`, split at the first colon
 * (values may hold colons).
 * Type and value are normalized as identity stores them — `userId` is `user_id`, emails trimmed
 * and lower-cased — so a ref can be pasted from an event. Undefined when it is neither.
 */
export function parseContactRef(ref: string): ContactRef | undefined {
  if (isContactId(ref)) return { kind: 'id', id: ref };
  if (/^[0-9]+$/.test(ref)) return { kind: 'retired_id' };
  const colon = ref.indexOf(':');
  if (colon === -1) return undefined;
  const type = normalizeType(ref.slice(0, colon));
  const rawValue = ref.slice(colon + 1);
  const value = type === 'email' ? normalizeEmail(rawValue) : rawValue;
  return type === '' || value === '' ? undefined : { kind: 'identifier', type, value };
}
