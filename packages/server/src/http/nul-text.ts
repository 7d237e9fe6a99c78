/**
 * Where a validated request part (a JSON body, a query, path parameters) holds U+0000 in a string
 * or a key: the field as describeIssues names one (`tags.1`, `traits.plan`), '' for the part itself,
 * or undefined when it holds none. PostgreSQL refuses NUL in text and jsonb, so the API refuses it
 * on both engines, naming the field, as contact writes refuse a lone surrogate
 * (contacts/contact-write-schemas.ts). Ingest repairs it instead (ingest/sanitize-tree.ts): an SDK
 * cannot be asked to fix an event it already sent.
 */
export function nulField(value: unknown): string | undefined {
  const steps = walk(value);
  return steps?.reverse().join('.');
}

function walk(value: unknown): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i]);
      if (found) return [...found, i];
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [JSON.stringify(key)];
    const found = walk(item);
    if (found) return [...found, key];
  }
  return undefined;
}
