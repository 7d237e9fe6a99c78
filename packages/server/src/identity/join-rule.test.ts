import { describe, expect, it } from 'vitest';
import { restrictToJoinable } from './join-rule.js';
import type { IdentityEvent } from './read-identity-event.js';

const event: IdentityEvent = {
  messageId: 'm1',
  type: 'identify',
  timestamp: 0,
  identifiers: [
    { type: 'user_id', value: 'u1' },
    { type: 'email', value: 'victim@example.com' },
    { type: 'crm_id', value: '7' },
    { type: 'anonymous_id', value: 'a1' },
  ],
  blocked: 0,
  traits: { email: 'victim@example.com' },
};
const alias: IdentityEvent = {
  ...event,
  type: 'alias',
  identifiers: [{ type: 'user_id', value: 'u2' }],
  alias: { previousId: 'a1', userId: 'u2' },
};
const restricted = { client: ['anonymous_id', 'user_id'], server: 'all' } as const;

describe('restrictToJoinable', () => {
  it('leaves everything in for a kind allowed all types (the default for both)', () => {
    expect(restrictToJoinable(event, { client: 'all', server: 'all' }, 'client')).toEqual({ event, leftOut: 0 });
  });

  it("leaves out of resolution the types a client key may not join on, keeping the event's traits", () => {
    const { event: kept, leftOut } = restrictToJoinable(event, restricted, 'client');
    expect(kept.identifiers.map((identifier) => identifier.type)).toEqual(['user_id', 'anonymous_id']);
    expect(kept.traits).toEqual({ email: 'victim@example.com' });
    expect(leftOut).toBe(2);
  });

  it('lets a server key join on every type', () => {
    expect(restrictToJoinable(event, restricted, 'server').event.identifiers).toHaveLength(4);
  });

  it('keeps an alias only when both user_id and anonymous_id may be joined on', () => {
    expect(restrictToJoinable(alias, restricted, 'client').event.alias).toEqual(alias.alias);
    const noUserIds = restrictToJoinable(alias, { client: ['anonymous_id'], server: 'all' }, 'client');
    expect(noUserIds.event.alias).toBeUndefined();
    expect(noUserIds.event.identifiers).toEqual([]);
    expect(noUserIds.leftOut).toBe(2);
  });
});
