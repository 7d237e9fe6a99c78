export type SanitizeResult = 'ok' | 'too_deep';

/**
 * Walks a parsed JSON value at most `maxDepth` containers deep and makes it safe to store:
 * - it removes the keys that could reach an object's prototype once some later code merges this
 *   data (`__proto__`, and `constructor` holding a `prototype`). JSON.parse itself only makes them
 *   own properties; removing them here means no downstream merge (identity traits, audiences) has
 *   to remember the danger;
 * - it replaces lone UTF-16 surrogates (JSON's `"\ud800"`), in keys and in strings, with U+FFFD, as
 *   Segment's own API does. SQLite would store one in a TEXT column as bytes that are not UTF-8 and
 *   read it back as three U+FFFD: `userId` "a\ud800" and "a\ud801" became two contacts that both
 *   showed "a���", and no ref could name either.
 * The value itself counts as level 1; a container found below level `maxDepth` answers 'too_deep'.
 */
export function sanitizeTree(value: unknown, maxDepth: number): SanitizeResult {
  return walk(value, 1, maxDepth);
}

function walk(value: unknown, depth: number, maxDepth: number): SanitizeResult {
  if (typeof value !== 'object' || value === null) return 'ok';
  if (depth > maxDepth) return 'too_deep';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (hasLoneSurrogate(item)) value[i] = wellFormed(item);
      } else if (walk(item, depth + 1, maxDepth) === 'too_deep') return 'too_deep';
    }
    return 'ok';
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (isPrototypeKey(key, child)) {
      delete record[key];
      continue;
    }
    if (typeof child === 'string') {
      if (hasLoneSurrogate(child)) record[key] = wellFormed(child);
    } else if (walk(child, depth + 1, maxDepth) === 'too_deep') return 'too_deep';
    if (hasLoneSurrogate(key)) {
      const kept = record[key];
      delete record[key];
      record[wellFormed(key)] = kept;
    }
  }
  return 'ok';
}

function isPrototypeKey(key: string, child: unknown): boolean {
  if (key === '__proto__') return true;
  return key === 'constructor' && typeof child === 'object' && child !== null && 'prototype' in child;
}

// With the u flag a surrogate pair is one code point above U+FFFF, so only a lone half matches.
const loneSurrogate = /[\ud800-\udfff]/u;
const loneSurrogates = /[\ud800-\udfff]/gu;

export function hasLoneSurrogate(text: string): boolean {
  return loneSurrogate.test(text);
}

function wellFormed(text: string): string {
  return text.replace(loneSurrogates, '\ufffd');
}
