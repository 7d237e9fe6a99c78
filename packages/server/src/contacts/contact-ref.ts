import { normalizeEmail, normalizeType } from '../identity/read-identity-event.js';

/** What `/v1/contacts/{ref}` names: a profile id, or one of a profile's identifiers. */
export type ContactRef =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'identifier'; readonly type: string; readonly value: string };

/**
 * Digits are an id; otherwise `type:value`, split at the first colon (values may hold colons).
 * Type and value are normalized as identity stores them — `userId` is `user_id`, emails trimmed
 * and lower-cased — so a ref can be pasted from an event. Undefined when it is neither.
 */
export function parseContactRef(ref: string): ContactRef | undefined {
  if (/^[0-9]+$/.test(ref)) {
    const id = Number(ref);
    return Number.isSafeInteger(id) && id > 0 ? { kind: 'id', id } : undefined;
  }
  const colon = ref.indexOf(':');
  if (colon === -1) return undefined;
  const type = normalizeType(ref.slice(0, colon));
  const rawValue = ref.slice(colon + 1);
  const value = type === 'email' ? normalizeEmail(rawValue) : rawValue;
  return type === '' || value === '' ? undefined : { kind: 'identifier', type, value };
}
