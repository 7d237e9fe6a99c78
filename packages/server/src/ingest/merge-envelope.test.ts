import { describe, expect, it } from 'vitest';
import { defaultIngestLimits } from './limits.js';
import type { SharedEnvelope } from './merge-envelope.js';
import { mergeEnvelope } from './merge-envelope.js';
import { measureShared } from './shared-fields.js';

const limits = { ...defaultIngestLimits, maxEventBytes: 200, maxEventDepth: 5 };
const event = { type: 'track', event: 'E', userId: 'u' };
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

function sharedOf(context?: Record<string, unknown>, integrations?: Record<string, unknown>): SharedEnvelope {
  return {
    context: context ? measureShared(context) : undefined,
    integrations: integrations ? measureShared(integrations) : undefined,
  };
}

function codeOf(raw: Record<string, unknown>, shared: SharedEnvelope): string {
  const merged = mergeEnvelope(raw, shared, limits);
  return merged.ok ? 'ok' : merged.problem.code;
}

describe('mergeEnvelope', () => {
  it('merges the shared context and integrations, the event winning', () => {
    const merged = mergeEnvelope(
      { ...event, context: { ip: 'mine' } },
      sharedOf({ ip: 'shared', os: 'x' }, { All: false }),
      limits,
    );
    expect(merged).toEqual({
      ok: true,
      fields: { ...event, context: { ip: 'mine', os: 'x' }, integrations: { All: false } },
    });
  });

  it.each<[string, Record<string, unknown>, SharedEnvelope, string]>([
    ['a small event with a small shared context', event, sharedOf({ ip: '1.2.3.4' }), 'ok'],
    [
      'a small event whose shared context alone is over the limit',
      event,
      sharedOf({ blob: 'x'.repeat(300) }),
      'event_too_large',
    ],
    [
      'a small event with shared integrations over the limit',
      event,
      sharedOf(undefined, { blob: 'x'.repeat(300) }),
      'event_too_large',
    ],
    [
      'a small event that overrides the one big shared entry',
      { ...event, context: { blob: 'mine' } },
      sharedOf({ blob: 'x'.repeat(300) }),
      'ok',
    ],
    [
      'an event and a shared context each under the limit, together over it',
      { ...event, properties: { s: 'y'.repeat(100) } },
      sharedOf({ s: 'x'.repeat(100) }),
      'event_too_large',
    ],
    // The event is level 1, context 2, so a shared entry may hold 3 levels when the limit is 5.
    ['a shared entry reaching the depth limit', event, sharedOf({ a: { b: { c: {} } } }), 'ok'],
    [
      'a shared entry one level too deep once merged',
      event,
      sharedOf({ a: { b: { c: { d: {} } } } }),
      'event_too_deep',
    ],
    [
      'a too-deep shared entry the event overrides',
      { ...event, context: { a: 1 } },
      sharedOf({ a: { b: { c: { d: {} } } } }),
      'ok',
    ],
    [
      'the event itself too deep',
      { ...event, properties: { a: { b: { c: { d: {} } } } } },
      sharedOf(),
      'event_too_deep',
    ],
    ['a context that is not an object is left for validation', { ...event, context: 'x' }, sharedOf({ ip: '1' }), 'ok'],
  ])('%s: %s', (_name, raw, shared, code) => {
    expect(codeOf(raw, shared)).toBe(code);
  });

  it('measures the merged event exactly: the limit itself fits, one byte more does not', () => {
    const shared = sharedOf({ ip: '1.2.3.4' });
    const skeleton = bytesOf({ ...event, properties: { s: '' }, context: { ip: '1.2.3.4' } });
    const fits = { ...event, properties: { s: 'x'.repeat(limits.maxEventBytes - skeleton) } };
    expect(codeOf(fits, shared)).toBe('ok');
    expect(codeOf({ ...fits, properties: { s: `${fits.properties.s}x` } }, shared)).toBe('event_too_large');
  });

  it('never builds the merged event when the shared part alone is over the limit', () => {
    // A getter on the shared context would run if it were spread into the event.
    const context = measureShared({ blob: 'x'.repeat(300) });
    let spread = 0;
    const watched = { ...context, value: Object.defineProperty({}, 'blob', { enumerable: true, get: () => ++spread }) };
    expect(mergeEnvelope(event, { context: watched }, limits)).toMatchObject({ ok: false });
    expect(spread).toBe(0);
  });
});
