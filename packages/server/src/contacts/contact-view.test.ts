import { describe, expect, it } from 'vitest';
import type { ProfileDetails, ProfileRow } from './contact-view.js';
import { noDetails, toContact } from './contact-view.js';

const t0 = Date.parse('2026-03-01T12:00:00.000Z');

function row(traits: Record<string, unknown>, extra: Partial<ProfileRow> = {}): ProfileRow {
  return {
    id: 7,
    public_id: 'ct_000000000000000000000007',
    merged_into: null,
    first_seen_at: t0,
    last_seen_at: t0 + 1000,
    event_count: 3,
    traits: JSON.stringify(traits),
    lifecycle_stage: null,
    owner: null,
    tags: '[]',
    created_at: t0,
    updated_at: t0 + 2000,
    contact_email: '',
    ...extra,
  };
}

const emails: ProfileDetails = {
  identifiers: [
    { type: 'anonymous_id', value: 'a1', first_seen_at: t0 },
    { type: 'email', value: 'first@example.com', first_seen_at: t0 + 1 },
    { type: 'email', value: 'second@example.com', first_seen_at: t0 + 2 },
  ],
  companies: [],
  merges: [],
};

describe('toContact', () => {
  it.each([
    ['the name trait', { name: 'Ada Lovelace', firstName: 'A', lastName: 'L' }, 'Ada Lovelace'],
    ['firstName + lastName without a name', { firstName: 'Ada', lastName: 'Lovelace' }, 'Ada Lovelace'],
    ['firstName alone', { firstName: ' Ada ' }, 'Ada'],
    ['lastName alone', { lastName: 'Lovelace' }, 'Lovelace'],
    ['a blank name falls back', { name: '  ', firstName: 'Ada' }, 'Ada'],
    ['a number is no name', { name: 42 }, null],
    ['nothing', {}, null],
  ])('takes the name from %s', (_label, traits, name) => {
    expect(toContact(row(traits), noDetails).name).toBe(name);
  });

  it.each([
    ['the email trait, as written but trimmed', { email: ' Ada@Example.com ' }, emails, 'Ada@Example.com'],
    ['the first email identifier without a trait', {}, emails, 'first@example.com'],
    ['nothing when there is neither', {}, noDetails, null],
    ['the identifier when the trait is not a string', { email: true }, emails, 'first@example.com'],
  ])('takes the email from %s', (_label, traits, details, email) => {
    expect(toContact(row(traits), details).email).toBe(email);
  });

  it('renders ids as strings, times as ISO 8601 and the CRM fields', () => {
    const contact = toContact(
      row(
        { phone: '+33 1', title: 'CTO', plan: 'pro' },
        { lifecycle_stage: 'customer', owner: 'sam', tags: '["vip","beta"]' },
      ),
      {
        identifiers: [{ type: 'user_id', value: 'u1', first_seen_at: t0 }],
        companies: [
          { group_id: 'acme', traits: '{"name":"Acme"}' },
          { group_id: 'anon', traits: '{}' },
        ],
        merges: [{ absorbed_public_id: 'ct_000000000000000000000009', message_id: 'm-9', merged_at: t0 + 5000 }],
      },
    );
    expect(contact).toEqual({
      id: 'ct_000000000000000000000007',
      email: null,
      name: null,
      firstName: null,
      lastName: null,
      phone: '+33 1',
      title: 'CTO',
      companies: [
        { groupId: 'acme', name: 'Acme' },
        { groupId: 'anon', name: null },
      ],
      lifecycleStage: 'customer',
      owner: 'sam',
      tags: ['vip', 'beta'],
      traits: { phone: '+33 1', title: 'CTO', plan: 'pro' },
      identities: [{ type: 'user_id', value: 'u1', firstSeenAt: '2026-03-01T12:00:00.000Z' }],
      firstSeenAt: '2026-03-01T12:00:00.000Z',
      lastSeenAt: '2026-03-01T12:00:01.000Z',
      eventCount: 3,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:02.000Z',
      merges: [{ absorbedId: 'ct_000000000000000000000009', messageId: 'm-9', at: '2026-03-01T12:00:05.000Z' }],
    });
  });
});
