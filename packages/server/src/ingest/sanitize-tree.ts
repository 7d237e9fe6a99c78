/** What makes a parsed JSON tree unfit to store; undefined when it is fit. */
export type TreeProblem =
  | { readonly code: 'too_deep' }
  /** JSON's `1e999` parses as Infinity, which JSON.stringify would store as null. */
  | { readonly code: 'not_finite'; readonly path: string };

/**
 * Walks a parsed JSON value at most `maxDepth` containers deep and makes it safe to store:
 * - it removes the keys that could reach an object's prototype once some later code merges this
 *   data (`__proto__`, and `constructor` holding a `prototype`). JSON.parse itself only makes them
 *   own properties; removing them here means no downstream merge (identity traits, audiences) has
 *   to remember the danger;
 * - it replaces lone UTF-16 surrogates (JSON's `"\ud800"`), in keys and in strings, with U+FFFD, as
 *   Segment's own API does, and NUL (`"\u0000"`) the same way. SQLite would store a lone surrogate
 *   in a TEXT column as bytes that are not UTF-8 and read it back as three U+FFFD; PostgreSQL refuses
 *   NUL in text and in jsonb, so a batch holding one would fail on every retry. Identifiers (and
 *   messageIds) are checked before this runs and refused instead (identity/identifier-text.ts):
 *   replacing made two userIds one contact;
 * - it finds numbers that are not finite, naming where (`properties.price`), so that a value is
 *   refused rather than silently stored as null.
 * The value itself counts as level 1; a container found below level `maxDepth` is 'too_deep'.
 * `path` names the value in messages (a field name, or '' for the event itself).
 */
export function sanitizeTree(value: unknown, maxDepth: number, path = ''): TreeProblem | undefined {
  const found = walk(value, 1, maxDepth);
  if (found === undefined) return undefined;
  if (found === 'too_deep') return { code: 'too_deep' };
  // The path is put together only for a problem: a fit tree, the usual case, builds no strings.
  const named = found
    .reverse()
    .reduce<string>(
      (text, step) => (typeof step === 'number' ? `${text}[${step}]` : text === '' ? step : `${text}.${step}`),
      path,
    );
  return { code: 'not_finite', path: named };
}

/** 'too_deep', or the steps from the value found up to the root (innermost first), or undefined. */
type Found = 'too_deep' | (string | number)[] | undefined;

function walk(value: unknown, depth: number, maxDepth: number): Found {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'number' && !Number.isFinite(value) ? [] : undefined;
  }
  if (depth > maxDepth) return 'too_deep';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (isUnstorable(item)) value[i] = wellFormed(item);
        continue;
      }
      const found = walk(item, depth + 1, maxDepth);
      if (found === 'too_deep') return found;
      if (found) {
        found.push(i);
        return found;
      }
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (isPrototypeKey(key, child)) {
      delete record[key];
      continue;
    }
    if (typeof child === 'string') {
      if (isUnstorable(child)) record[key] = wellFormed(child);
    } else {
      const found = walk(child, depth + 1, maxDepth);
      if (found === 'too_deep') return found;
      if (found) {
        found.push(key);
        return found;
      }
    }
    if (isUnstorable(key)) {
      const kept = record[key];
      delete record[key];
      record[wellFormed(key)] = kept;
    }
  }
  return undefined;
}

function isPrototypeKey(key: string, child: unknown): boolean {
  if (key === '__proto__') return true;
  return key === 'constructor' && typeof child === 'object' && child !== null && 'prototype' in child;
}

// With the u flag a surrogate pair is one code point above U+FFFF, so only a lone half matches.
const loneSurrogate = /[\ud800-\udfff]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is looked for
const unstorable = /[\ud800-\udfff\u0000]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced
const unstorables = /[\ud800-\udfff\u0000]/gu;

export function hasLoneSurrogate(text: string): boolean {
  return loneSurrogate.test(text);
}

/** Text one of the engines cannot keep as sent: a lone surrogate, or NUL. */
export function isUnstorable(text: string): boolean {
  return unstorable.test(text);
}

function wellFormed(text: string): string {
  return text.replace(unstorables, '\ufffd');
}
