import { isPlainObject, type JsonObject } from '@weft/core';
import { readCookie, writeCookie } from './cookies.js';

// Cookie `weft_anonymous_id` (which subdomains can share); localStorage `weft:v1:anonymous_id`,
// `…user_id`, `…user_traits`. analytics.js's `ajs_…` cookies and localStorage keys are read when ours are
// absent, so that a site moving to Weft keeps its visitors.
const COOKIE_PREFIX = 'weft_';
const STORAGE_PREFIX = 'weft:v1:';
const AJS_PREFIX = 'ajs_';
type Key = 'anonymous_id' | 'user_id' | 'user_traits';

export interface User {
  id: string | undefined;
  anonymousId: string;
  traits: JsonObject;
}

export interface Identity {
  user(): User;
  /** Sets the user id (a new one replaces the traits) and merges traits in. */
  identify(userId: string | undefined, traits: JsonObject | undefined): void;
  /** A new anonymousId, no user id, no traits. */
  reset(): void;
  /** Writes the identity to cookies and localStorage; until the first call nothing is written. */
  persist(): void;
}

/**
 * The visitor's identity: read from our cookies and localStorage, else analytics.js's, else new.
 * Written only by `persist()` (after consent), and then on every change.
 */
export function createIdentity(cookieDomain: string | undefined, newId: () => string): Identity {
  const storage = safeLocalStorage();
  const read = (key: Key): unknown =>
    readCookie(COOKIE_PREFIX + key) ??
    readStored(storage, STORAGE_PREFIX + key) ??
    parseLoose(readCookie(AJS_PREFIX + key)) ??
    readStored(storage, AJS_PREFIX + key);
  const readId = (key: Key) => {
    const value = read(key);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const traits = read('user_traits');
  let user: User = {
    id: readId('user_id'),
    anonymousId: readId('anonymous_id') ?? newId(),
    traits: isPlainObject(traits) ? traits : {},
  };
  let isPersisted = false;

  function persist(): void {
    isPersisted = true;
    writeCookie(`${COOKIE_PREFIX}anonymous_id`, user.anonymousId, cookieDomain);
    const values: Record<Key, unknown> = { anonymous_id: user.anonymousId, user_id: user.id, user_traits: user.traits };
    try {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) storage?.removeItem(STORAGE_PREFIX + key);
        else storage?.setItem(STORAGE_PREFIX + key, JSON.stringify(value));
      }
    } catch {}
  }

  function change(next: User): void {
    user = next;
    if (isPersisted) persist();
  }

  return {
    user: () => ({ ...user, traits: { ...user.traits } }),
    identify(userId, traits) {
      const isNewUser = userId !== undefined && user.id !== undefined && userId !== user.id;
      change({ ...user, id: userId ?? user.id, traits: { ...(isNewUser ? {} : user.traits), ...traits } });
    },
    reset: () => change({ id: undefined, anonymousId: newId(), traits: {} }),
    persist,
  };
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
