import { describe, expect, it } from 'vitest';
import type { EventType } from '../storage/event-store.js';
import { validateEvent } from './validate-event.js';

describe('validateEvent', () => {
  it.each<[string, EventType, Record<string, unknown>, string | null]>([
    ['identify with a userId', 'identify', { userId: 'u1' }, null],
    ['identify with a numeric userId', 'identify', { userId: 42 }, null],
    ['identify with only an anonymousId', 'identify', { anonymousId: 'a1' }, null],
    ['identify without identity', 'identify', { traits: {} }, 'missing_identity'],
    ['an empty userId is no identity', 'identify', { userId: '' }, 'missing_identity'],
    ['userId as an object', 'identify', { userId: { id: 1 } }, 'invalid_field'],
    ['track with an event name', 'track', { userId: 'u', event: 'Bought' }, null],
    ['track without an event name', 'track', { userId: 'u' }, 'missing_field'],
    ['track with an empty event name', 'track', { userId: 'u', event: '' }, 'missing_field'],
    ['page without a name', 'page', { anonymousId: 'a' }, null],
    ['screen with a numeric name', 'screen', { anonymousId: 'a', name: 3 }, 'invalid_field'],
    ['group with a groupId', 'group', { userId: 'u', groupId: 'g' }, null],
    ['group without a groupId', 'group', { userId: 'u' }, 'missing_field'],
    ['alias with both ids', 'alias', { userId: 'u', previousId: 'a' }, null],
    ['alias without previousId', 'alias', { userId: 'u' }, 'missing_field'],
    ['alias without userId', 'alias', { previousId: 'a', anonymousId: 'x' }, 'missing_field'],
    ['properties as an array', 'track', { userId: 'u', event: 'E', properties: [] }, 'invalid_field'],
    ['traits as a string', 'identify', { userId: 'u', traits: 'vip' }, 'invalid_field'],
    ['null context is absent', 'identify', { userId: 'u', context: null }, null],
    ['messageId as a number', 'identify', { userId: 'u', messageId: 7 }, 'invalid_field'],
    ['messageId of 100 characters', 'identify', { userId: 'u', messageId: 'm'.repeat(100) }, null],
    ['messageId of 101 characters', 'identify', { userId: 'u', messageId: 'm'.repeat(101) }, 'invalid_message_id'],
    ['messageId of 100 emoji (200 UTF-16 units)', 'identify', { userId: 'u', messageId: '😀'.repeat(100) }, null],
    ['userId of 1,000 characters (identity ignores it later)', 'identify', { userId: 'u'.repeat(1000) }, null],
    ['anonymousId of 1,000 characters', 'identify', { anonymousId: 'a'.repeat(1000) }, null],
    ['timestamp in prose', 'identify', { userId: 'u', timestamp: 'yesterday' }, 'invalid_field'],
    ['timestamp as epoch number', 'identify', { userId: 'u', timestamp: 1700000000000 }, 'invalid_field'],
    ['timestamp with offset', 'identify', { userId: 'u', timestamp: '2026-03-01T12:00:00+02:00' }, null],
    ['unknown fields kept', 'track', { userId: 'u', event: 'E', _metadata: {}, extra: [1] }, null],
  ])('%s', (_name, type, event, expected) => {
    const problem = validateEvent(event, type);
    expect(problem?.code ?? null).toBe(expected);
    if (problem) expect(problem.message.length).toBeGreaterThan(10);
  });
});
