import { describe, expect, it } from 'vitest';
import type { StoredChange } from '../changes/change.js';
import { payloadOf, payloadTextOf } from './webhook-subscription.js';

const change = (type: StoredChange['type'], data: Record<string, unknown>): StoredChange => ({
  seq: 42,
  type,
  contactId: 'ct_0000000000a1234567890123',
  at: Date.parse('2026-12-03T04:00:00.000Z'),
  data: JSON.stringify(data),
});

describe('webhook payload text', () => {
  it('puts a stored event in as ingest kept it, and reads back as the payload it stands for', () => {
    const stored = change('event.stored', { messageId: 'm1', source: 'web', type: 'track', name: 'Viewed "x"' });
    const body = JSON.stringify({ type: 'track', event: 'Viewed "x"', properties: { n: [1, { a: '}}' }] } });
    const text = payloadTextOf(stored, body);
    expect(JSON.parse(text)).toEqual(payloadOf(stored, JSON.parse(body)));
    expect(JSON.parse(text).data).toMatchObject({ changeId: 'ch_42', event: { properties: { n: [1, { a: '}}' }] } } });
  });

  it('says null for an event no longer stored, and leaves other changes as payloadOf writes them', () => {
    const stored = change('event.stored', { messageId: 'm1', source: 'web', type: 'track', name: 'Viewed' });
    expect(JSON.parse(payloadTextOf(stored, null)).data.event).toBeNull();
    const updated = change('contact.updated', { traits: { plan: { old: 'free', new: 'pro' } } });
    expect(payloadTextOf(updated)).toBe(JSON.stringify(payloadOf(updated)));
  });
});
