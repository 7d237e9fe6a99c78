import { DEFAULT_DELIVERY_OPTIONS, MAX_EVENT_BYTES } from '@weft/core';
import { describe, expect, it } from 'vitest';
import { BROWSER_ENGINE_PARTS } from './engine-parts.js';

/** Every delivery option that is a number (the retry options, in their own object, are not checked here). */
const numericOptions = Object.entries(DEFAULT_DELIVERY_OPTIONS)
  .filter(([, value]) => typeof value === 'number')
  .map(([key]) => key);

describe("the browser script's engine parts", () => {
  it('measures UTF-8 bytes as core does: 2 for é, 4 for an emoji, 3 for a lone surrogate', () => {
    expect(BROWSER_ENGINE_PARTS.byteLength('aé😀\ud800')).toBe(1 + 2 + 4 + 3);
  });

  it('serialises an event past the per-event limit, which the server refuses instead', () => {
    const event = { type: 'track', properties: { text: 'x'.repeat(MAX_EVENT_BYTES) } };
    const json = JSON.stringify(event);
    expect(BROWSER_ENGINE_PARTS.serialise(event)).toEqual({ json, bytes: json.length });
  });

  it('fills in the defaults, keeping them for options given as undefined', () => {
    const options = BROWSER_ENGINE_PARTS.resolveOptions({
      flushAt: 3,
      maxQueueItems: undefined,
      retry: { maxAttempts: 2 },
    });
    expect(options).toMatchObject({
      flushAt: 3,
      maxQueueItems: DEFAULT_DELIVERY_OPTIONS.maxQueueItems,
      retry: { ...DEFAULT_DELIVERY_OPTIONS.retry, maxAttempts: 2 },
    });
  });

  it.each(numericOptions)('refuses %s when it is not a positive number, naming it', (key) => {
    for (const value of [0, -1, Number.NaN, null]) {
      expect(() => BROWSER_ENGINE_PARTS.resolveOptions({ [key]: value })).toThrow(
        new RegExp(`^${key} must be a positive number`),
      );
    }
  });
});
