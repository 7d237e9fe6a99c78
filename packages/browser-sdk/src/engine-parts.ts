import { type EngineParts, withDeliveryDefaults } from '@weft/core';
import { utf8Bytes } from './transport/utf8-bytes.js';

const NUMERIC_OPTIONS = [
  'flushAt',
  'maxBatchEvents',
  'maxQueueItems',
  'maxConcurrentRequests',
  'flushIntervalMs',
  'maxBatchBytes',
  'maxQueueBytes',
  'requestTimeoutMs',
] as const;

/**
 * The delivery engine's parts in the browser script, lighter than core's to keep it small: the
 * platform's UTF-8 length; no 32 KB check per event (a deep check left to the server, which
 * refuses a larger event, reported dropped); options checked to be positive numbers, a fraction
 * working as the next whole number where core asks for a whole one.
 */
export const BROWSER_ENGINE_PARTS: EngineParts = {
  byteLength: utf8Bytes,
  serialise(event) {
    const json = JSON.stringify(event);
    return { json, bytes: utf8Bytes(json) };
  },
  resolveOptions(input) {
    const options = withDeliveryDefaults(input);
    for (const key of NUMERIC_OPTIONS) {
      if (!(options[key] > 0)) throw new RangeError(`${key} must be a positive number, got ${options[key]}`);
    }
    return options;
  },
};
