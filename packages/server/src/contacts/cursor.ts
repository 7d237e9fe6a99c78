/**
 * Where a page ended: the sort it was issued for, that sort's key on the last row, and the row id
 * that breaks ties. Opaque to clients (base64url JSON) so its format can change; not signed, as it
 * only positions a read the admin token already allows in full.
 */
export interface Cursor {
  readonly sort: string;
  readonly key: string | number;
  readonly id: number;
}

const version = 1;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ v: version, s: cursor.sort, k: cursor.key, i: cursor.id })).toString('base64url');
}

/**
 * Undefined for anything this server did not issue for `sort`: broken base64url or JSON, another
 * shape or version, a cursor of another sort (its key would mean something else), or a key of the
 * wrong type for it (`keyType`).
 */
export function decodeCursor(text: string, sort: string, keyType: 'string' | 'integer'): Cursor | undefined {
  const bytes = Buffer.from(text, 'base64url');
  // Node skips characters outside the alphabet; a cursor that does not round-trip was altered.
  if (bytes.toString('base64url') !== text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, s, k, i } = parsed as Record<string, unknown>;
  if (v !== version || s !== sort || !Number.isSafeInteger(i) || (i as number) < 1) return undefined;
  const keyFits = keyType === 'string' ? typeof k === 'string' : Number.isSafeInteger(k);
  if (!keyFits) return undefined;
  return { sort, key: k as string | number, id: i as number };
}
