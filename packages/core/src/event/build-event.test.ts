import { describe, expect, it } from 'vitest';
import { buildEvent, buildEventWithTypeChecks } from './build-event.js';
import type { EventCall } from './types.js';

const deps = { createMessageId: () => 'generated-id', now: () => Date.parse('2026-11-29T12:00:00Z') };

function errorOf(call: EventCall) {
  const result = buildEvent(call, deps);
  if (result.ok) throw new Error('expected the call to be refused');
  return result.error;
}

describe('buildEvent', () => {
  it('builds a track event with a generated messageId and timestamp', () => {
    const result = buildEvent(
      { type: 'track', userId: 'u1', event: 'Signed Up', properties: { plan: 'pro' } },
      { ...deps, context: { library: { name: '@weft/test', version: '1.0.0' } } },
    );
    expect(result).toEqual({
      ok: true,
      event: {
        type: 'track',
        messageId: 'generated-id',
        timestamp: '2026-11-29T12:00:00.000Z',
        userId: 'u1',
        context: { library: { name: '@weft/test', version: '1.0.0' } },
        event: 'Signed Up',
        properties: { plan: 'pro' },
      },
    });
  });

  it('defaults messageId to a time-ordered UUIDv7', () => {
    const first = buildEvent({ type: 'page', anonymousId: 'a' });
    const second = buildEvent({ type: 'page', anonymousId: 'a' });
    if (!first.ok || !second.ok) throw new Error('expected events');
    expect(first.event.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.event.messageId < second.event.messageId).toBe(true);
  });

  it('lets the call override the default context, key by key', () => {
    const result = buildEvent(
      { type: 'identify', userId: 'u1', context: { locale: 'fr-FR' } },
      { ...deps, context: { locale: 'en-US', library: { name: 'x', version: '1' } } },
    );
    expect(result.ok && result.event.context).toEqual({ locale: 'fr-FR', library: { name: 'x', version: '1' } });
  });

  it('turns numeric ids into strings and timestamps into ISO 8601', () => {
    const result = buildEvent({ type: 'identify', userId: 42, timestamp: 1_700_000_000_000 }, deps);
    expect(result.ok && result.event).toMatchObject({ userId: '42', timestamp: '2023-11-14T22:13:20.000Z' });
  });

  it.each<[string, EventCall]>([
    ['group', { type: 'group', userId: 'u1', groupId: 'acme', traits: { plan: 'team' } }],
    ['alias', { type: 'alias', userId: 'u1', previousId: 'anon-9' }],
    ['screen', { type: 'screen', anonymousId: 'a1', name: 'Home', category: 'Main' }],
    ['page', { type: 'page', anonymousId: 'a1', name: 'Pricing', properties: { path: '/pricing' } }],
  ])('builds %s with its own fields', (_type, call) => {
    const result = buildEvent(call, deps);
    expect(result.ok && result.event).toMatchObject(call);
  });
});

describe('buildEvent refuses, naming the field', () => {
  it.each<[string, EventCall, string, string]>([
    ['no userId and no anonymousId', { type: 'track', event: 'X' }, 'missing_identity', 'userId'],
    ['blank ids', { type: 'track', event: 'X', userId: '  ', anonymousId: '' }, 'missing_identity', 'userId'],
    ['track without an event name', { type: 'track', userId: 'u' }, 'missing_field', 'event'],
    ['track with a blank event name', { type: 'track', userId: 'u', event: ' ' }, 'missing_field', 'event'],
    ['an event name that is not text', { type: 'track', userId: 'u', event: 5 as never }, 'invalid_type', 'event'],
    [
      'properties as an array',
      { type: 'track', userId: 'u', event: 'X', properties: [] },
      'not_plain_object',
      'properties',
    ],
    [
      'properties as a string',
      { type: 'track', userId: 'u', event: 'X', properties: 'a' },
      'not_plain_object',
      'properties',
    ],
    ['traits as a Date', { type: 'identify', userId: 'u', traits: new Date() }, 'not_plain_object', 'traits'],
    ['context as a number', { type: 'identify', userId: 'u', context: 1 }, 'not_plain_object', 'context'],
    ['group without groupId', { type: 'group', userId: 'u' }, 'missing_field', 'groupId'],
    ['alias without previousId', { type: 'alias', userId: 'u' }, 'missing_field', 'previousId'],
    ['alias without userId', { type: 'alias', anonymousId: 'a', previousId: 'p' }, 'missing_field', 'userId'],
    ['an unknown type', { type: 'click' as never, userId: 'u' }, 'invalid_type', 'type'],
    ['a bad timestamp', { type: 'page', userId: 'u', timestamp: 'yesterday' }, 'invalid_type', 'timestamp'],
    ['an object userId', { type: 'page', userId: {} as never }, 'invalid_type', 'userId'],
    ['a NaN anonymousId', { type: 'page', anonymousId: Number.NaN }, 'invalid_type', 'anonymousId'],
    ['an empty messageId', { type: 'page', userId: 'u', messageId: '' }, 'invalid_type', 'messageId'],
    [
      'a 101-character messageId',
      { type: 'page', userId: 'u', messageId: 'm'.repeat(101) },
      'invalid_type',
      'messageId',
    ],
  ])('%s', (_case, call, code, field) => {
    const error = errorOf(call);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it.each<[string, unknown, string]>([
    ['a BigInt', { price: 10n }, 'properties.price'],
    ['a function', { items: [{ onClick: () => {} }] }, 'properties.items[0].onClick'],
    ['a symbol', { tag: Symbol('x') }, 'properties.tag'],
    ['NaN', { ratio: Number.NaN }, 'properties.ratio'],
    ['Infinity', { deep: { ratio: Number.POSITIVE_INFINITY } }, 'properties.deep.ratio'],
    ['a Map', { lookup: new Map([['a', 1]]) }, 'properties.lookup'],
  ])('values that cannot be serialised: %s', (_case, properties, field) => {
    const error = errorOf({ type: 'track', userId: 'u', event: 'X', properties });
    expect(error.code).toBe('not_serialisable');
    expect(error.field).toBe(field);
  });

  it('a cycle, naming where it closes', () => {
    const cart: Record<string, unknown> = { id: 'c1' };
    cart.self = cart;
    const error = errorOf({ type: 'track', userId: 'u', event: 'X', properties: { cart } });
    expect(error).toMatchObject({ code: 'not_serialisable', field: 'properties.cart.self' });
  });
});

describe('buildEventWithTypeChecks', () => {
  it('refuses what the type checks refuse, as buildEvent does', () => {
    const result = buildEventWithTypeChecks({ type: 'track', userId: 'u1', event: 42 } as unknown as EventCall, deps);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_type', field: 'event' } });
  });

  it('leaves the deep checks (cycles, non-JSON values, depth) to the server', () => {
    const properties: Record<string, unknown> = { count: Number.NaN };
    properties.self = properties;
    const call = { type: 'track', userId: 'u1', event: 'Odd', properties } as EventCall;
    expect(buildEvent(call, deps)).toMatchObject({ ok: false });
    expect(buildEventWithTypeChecks(call, deps)).toMatchObject({ ok: true, event: { properties } });
  });
});
