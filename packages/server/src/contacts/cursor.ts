import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/api-error.js';

/**
 * Where a page ended: the sort it was issued for, that sort's key on the last row, and the row id
 * that breaks ties. Opaque to clients so its format can change.
 */
export interface Cursor {
  readonly sort: string;
  readonly key: string | number;
  readonly id: number;
}

/**
 * Cursors as this server issues them: base64url JSON, then `.` and a MAC of it under a key of the
 * database (migration 013), so that a cursor the server did not issue, an altered one included,
 * is refused rather than read as a place to start from. Cursors outlive a restart with the key.
 */
export interface CursorCodec {
  encode(cursor: Cursor): string;
  /**
   * Undefined for anything this server did not issue for `sort`: a MAC that does not match, broken
   * base64url or JSON, another shape or version, a cursor of another sort (its key would mean
   * something else), or a key of the wrong type for it (`keyType`).
   */
  decode(text: string, sort: string, keyType: CursorKeyType): Cursor | undefined;
  /** `decode`, answering 400 `invalid_cursor` for what it refuses. */
  read(text: string, sort: string, keyType: CursorKeyType): Cursor;
}

export type CursorKeyType = 'string' | 'integer';

const version = 1;
// 128 bits of HMAC-SHA256: enough that a cursor cannot be guessed, and 22 characters long.
const macBytes = 16;
const canonicalMac = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((macBytes * 8) / 6)}}$`);

export function createCursorCodec(key: Buffer): CursorCodec {
  const macOf = (payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, macBytes);
  const decode = (text: string, sort: string, keyType: CursorKeyType): Cursor | undefined => {
    const dot = text.indexOf('.');
    if (dot < 0) return undefined;
    const payload = text.slice(0, dot);
    const macText = text.slice(dot + 1);
    // Node's base64url decoder skips what it does not know ('=', '.', spaces): only the one text
    // this server writes for a MAC is read as it.
    if (!canonicalMac.test(macText)) return undefined;
    const mac = Buffer.from(macText, 'base64url');
    if (mac.toString('base64url') !== macText || !timingSafeEqual(mac, macOf(payload))) return undefined;
    return parsePayload(payload, sort, keyType);
  };
  return {
    encode(cursor) {
      const json = JSON.stringify({ v: version, s: cursor.sort, k: cursor.key, i: cursor.id });
      const payload = Buffer.from(json).toString('base64url');
      return `${payload}.${macOf(payload).toString('base64url')}`;
    },
    decode,
    read(text, sort, keyType) {
      const cursor = decode(text, sort, keyType);
      if (cursor) return cursor;
      throw new ApiError(
        400,
        'invalid_cursor',
        'cursor: not a cursor this server issued for this sort; start again without one',
      );
    },
  };
}

function parsePayload(payload: string, sort: string, keyType: CursorKeyType): Cursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
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
