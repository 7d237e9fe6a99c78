export type SanitizeResult = 'ok' | 'too_deep';

/**
 * Walks a parsed JSON value at most `maxDepth` containers deep, removing the keys that could reach
 * an object's prototype once some later code merges this data (`__proto__`, and `constructor`
 * holding a `prototype`). JSON.parse itself only makes them own properties; removing them here
 * means no downstream merge (identity traits, audiences) has to remember the danger.
 * The value itself counts as level 1; a container found below level `maxDepth` answers 'too_deep'.
 */
export function sanitizeTree(value: unknown, maxDepth: number): SanitizeResult {
  return walk(value, 1, maxDepth);
}

function walk(value: unknown, depth: number, maxDepth: number): SanitizeResult {
  if (typeof value !== 'object' || value === null) return 'ok';
  if (depth > maxDepth) return 'too_deep';
  if (Array.isArray(value)) {
    for (const item of value) if (walk(item, depth + 1, maxDepth) === 'too_deep') return 'too_deep';
    return 'ok';
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (isPrototypeKey(key, child)) {
      delete record[key];
      continue;
    }
    if (walk(child, depth + 1, maxDepth) === 'too_deep') return 'too_deep';
  }
  return 'ok';
}

function isPrototypeKey(key: string, child: unknown): boolean {
  if (key === '__proto__') return true;
  return key === 'constructor' && typeof child === 'object' && child !== null && 'prototype' in child;
}
