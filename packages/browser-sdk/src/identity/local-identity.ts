import { isPlainObject } from '@weft/core';
import { readCookie, writeCookie } from './cookies.js';
import type { StoredIdentity } from './resolve-identity.js';

// Cookies `weft_anonymous_id` and `weft_generation` (which subdomains can share); localStorage
// `weft:v1:anonymous_id`, `…user_id`, `…user_traits`, `…group_id`, `…group_traits`, `…generation`.
// analytics.js's `ajs_…` cookies and localStorage keys are read when ours are absent, so that a
// site moving to Weft keeps its visitors.
const COOKIE_PREFIX = 'weft_';
const STORAGE_PREFIX = 'weft:v1:';
const AJS_PREFIX = 'ajs_';
// Each field and its key; ids are read as strings, traits as plain objects, the generation as a number.
const KEYS: [field: keyof StoredIdentity, key: string][] = [
  ['anonymousId', 'anonymous_id'],
  ['id', 'user_id'],
  ['traits', 'user_traits'],
  ['groupId', 'group_id'],
  ['groupTraits', 'group_traits'],
  ['generation', 'generation'],
];

/** What the cookie says: the anonymousId and its generation (0 when it has none). */
export function readCookieIdentity(): StoredIdentity {
  return {
    anonymousId: readCookie(`${COOKIE_PREFIX}anonymous_id`),
    generation: Number(readCookie(`${COOKIE_PREFIX}generation`)) || 0,
  };
}

/** What localStorage says, each field falling back to analytics.js's cookie, then its localStorage. */
export function readLocalIdentity(storage: Storage | undefined): StoredIdentity {
  const identity: Record<string, unknown> = {};
  for (const [field, key] of KEYS) {
    const value =
      readStored(storage, STORAGE_PREFIX + key) ??
      parseLoose(readCookie(AJS_PREFIX + key)) ??
      readStored(storage, AJS_PREFIX + key);
    identity[field] =
      field === 'generation'
        ? Number(value) || 0
        : field.endsWith('raits')
          ? isPlainObject(value)
            ? value
            : undefined
          : typeof value === 'string' || typeof value === 'number'
            ? String(value)
            : undefined;
  }
  return identity as unknown as StoredIdentity;
}

/** Writes the identity to the cookies and to localStorage (where it is usable); fields left undefined are removed. */
export function writeLocalIdentity(
  identity: StoredIdentity,
  storage: Storage | undefined,
  cookieDomain: string | undefined,
): void {
  writeCookie(`${COOKIE_PREFIX}anonymous_id`, identity.anonymousId, cookieDomain);
  writeCookie(`${COOKIE_PREFIX}generation`, String(identity.generation), cookieDomain);
  try {
    for (const [field, key] of KEYS) {
      const value = identity[field];
      if (value === undefined) storage?.removeItem(STORAGE_PREFIX + key);
      else storage?.setItem(STORAGE_PREFIX + key, JSON.stringify(value));
    }
  } catch {}
}

/** localStorage, or undefined where it is missing or blocked (reading it can throw). */
export function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** analytics.js keeps JSON in localStorage (`"abc"` for a string). */
function readStored(storage: Storage | undefined, key: string): unknown {
  try {
    return parseLoose(storage?.getItem(key) ?? undefined);
  } catch {
    return undefined;
  }
}

/** JSON when it parses, the raw text otherwise (older analytics.js cookies held JSON, newer raw ids). */
function parseLoose(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
