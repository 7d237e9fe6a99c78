import { MAX_EVENT_DEPTH as MAX_DEPTH } from '../wire/wire-rules.js';
import { findUnserialisable } from './check-value.js';
import type { InvalidEventError } from './invalid-event-error.js';

/**
 * True when JSON.stringify keeps `value` exactly: strings, finite numbers, booleans, null, and
 * plain objects and arrays of them, no deeper than MAX_DEPTH. A fast pass with no allocation and
 * no paths; anything else (a cycle runs past the depth, a Date has toJSON) goes to
 * `findUnserialisable`, which finds the field at fault or lets it through.
 */
export function isPlainJson(value: unknown, depth = 1): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (!isPlainJson(value[index], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** `findUnserialisable`, with the full walk (paths, cycle set) only when the fast pass finds something. */
export function findUnserialisableFast(event: object): InvalidEventError | undefined {
  return isPlainJson(event) ? undefined : findUnserialisable(event, '');
}
