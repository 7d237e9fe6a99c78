import { type SerialisedEvent, serialiseEvent, utf8ByteLength } from '../event/event-size.js';
import type { InvalidEventError } from '../event/invalid-event-error.js';
import { type DeliveryOptions, type DeliveryOptionsInput, resolveDeliveryOptions } from './delivery-options.js';

/**
 * What the engine is given instead of importing, so that a bundle carries only the versions it
 * uses: Node takes core's own (`CORE_ENGINE_PARTS`); the browser script passes lighter ones.
 */
export interface EngineParts {
  /** UTF-8 bytes of a string. */
  byteLength(text: string): number;
  /** An event's JSON exactly as it will be sent and its UTF-8 bytes, or the error that refuses it. */
  serialise(event: object): SerialisedEvent | InvalidEventError;
  /** The options with their defaults; throws a RangeError naming an option out of range. */
  resolveOptions(input: DeliveryOptionsInput): DeliveryOptions;
}

/** Core's parts: its own UTF-8 count, events refused past the 32 KB limit, options checked in full. */
export const CORE_ENGINE_PARTS: EngineParts = {
  byteLength: utf8ByteLength,
  serialise: serialiseEvent,
  resolveOptions: resolveDeliveryOptions,
};
