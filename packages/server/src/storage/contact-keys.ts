import { lowerAscii } from './like-pattern.js';

/**
 * A contact's displayed email and name, as list, search and audiences read them: the email trait,
 * else the earliest email identifier (by first seen, then value in code-point order), lower-cased in
 * ASCII only; the name trait, else firstName and lastName joined; '' when there is none. Text traits
 * count when they are strings, trimmed of spaces (only U+0020) and not empty.
 *
 * Each engine keeps the same rule in SQL, in triggers that write the columns (SQLite's
 * storage/sqlite/contact-keys.ts, PostgreSQL's migration 006). This copy is what PostgreSQL ingest
 * evaluates audiences with before its rows are written; sqlite/contact-keys.test.ts checks it
 * against SQLite's SQL, and the differential tests against PostgreSQL's.
 */

/** An email identifier as the rule orders them. */
export interface EmailIdentifier {
  readonly value: string;
  readonly firstSeenAt: number;
}

export function displayedEmail(traits: Readonly<Record<string, unknown>>, earliest: EmailIdentifier | null): string {
  return lowerAscii(textTrait(traits, 'email') ?? earliest?.value ?? '');
}

export function displayedName(traits: Readonly<Record<string, unknown>>): string {
  const name = textTrait(traits, 'name');
  if (name !== null) return name;
  const joined = trimSpaces(`${textTrait(traits, 'firstName') ?? ''} ${textTrait(traits, 'lastName') ?? ''}`);
  return joined;
}

/** The earlier of two email identifiers, as the rule picks one; null counts as none. */
export function earlierEmail(a: EmailIdentifier | null, b: EmailIdentifier | null): EmailIdentifier | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.firstSeenAt !== b.firstSeenAt) return a.firstSeenAt < b.firstSeenAt ? a : b;
  return compareCodePoints(a.value, b.value) <= 0 ? a : b;
}

function textTrait(traits: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = Object.hasOwn(traits, key) ? traits[key] : undefined;
  if (typeof value !== 'string') return null;
  const trimmed = trimSpaces(value);
  return trimmed === '' ? null : trimmed;
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(start, end);
}

/** Code-point order (SQLite's BINARY over UTF-8, PostgreSQL's COLLATE "C"), not UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = (left[i] as string).codePointAt(0) as number;
    const y = (right[i] as string).codePointAt(0) as number;
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}
