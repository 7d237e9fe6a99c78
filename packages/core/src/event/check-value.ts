import { MAX_EVENT_DEPTH } from '../wire/wire-rules.js';
import { InvalidEventError } from './invalid-event-error.js';

// 64 levels: the nesting the server accepts; deeper input is a bug, and deep recursion a risk.

/** True for `{}` literals and `Object.create(null)`: what properties and traits must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Finds the first value JSON would reject or silently change: cycles, BigInt, functions, symbols,
 * NaN/Infinity (sent as null), Map/Set (sent as {}), and nesting past MAX_EVENT_DEPTH.
 * `depth` is the level of `value` itself, counting the event as level 1.
 */
export function findUnserialisable(value: unknown, path: string, depth = 1): InvalidEventError | undefined {
  return walk(value, path, depth, new Set());
}

function walk(value: unknown, path: string, depth: number, ancestors: Set<object>): InvalidEventError | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : unserialisable(path, `${value} is not a JSON number`);
    case 'bigint':
      return unserialisable(path, 'a BigInt cannot be serialised; send it as a string');
    case 'function':
      return unserialisable(path, 'a function cannot be serialised');
    case 'symbol':
      return unserialisable(path, 'a symbol cannot be serialised');
  }
  if (value === null) return undefined;
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (object instanceof Map || object instanceof Set || object instanceof WeakMap || object instanceof WeakSet) {
    return unserialisable(path, `a ${object.constructor.name} would be sent as {}; convert it to an object or array`);
  }
  if (depth > MAX_EVENT_DEPTH) {
    return new InvalidEventError('too_deep', path, `${path} is nested deeper than ${MAX_EVENT_DEPTH} levels`);
  }
  if (ancestors.has(object)) return unserialisable(path, 'it refers back to itself (a cycle)');
  ancestors.add(object);
  const error = Array.isArray(object)
    ? walkArray(object, path, depth, ancestors)
    : walkObject(object as Record<string, unknown>, path, depth, ancestors);
  ancestors.delete(object);
  return error;
}

function walkArray(array: unknown[], path: string, depth: number, ancestors: Set<object>) {
  for (let index = 0; index < array.length; index++) {
    const error = walk(array[index], `${path}[${index}]`, depth + 1, ancestors);
    if (error) return error;
  }
  return undefined;
}

function walkObject(object: Record<string, unknown>, path: string, depth: number, ancestors: Set<object>) {
  for (const key of Object.keys(object)) {
    const error = walk(object[key], path ? `${path}.${key}` : key, depth + 1, ancestors);
    if (error) return error;
  }
  return undefined;
}

function unserialisable(path: string, reason: string): InvalidEventError {
  return new InvalidEventError('not_serialisable', path, `${path}: ${reason}`);
}
