import { describe, expect, it } from 'vitest';
import type { Contact } from '../../contacts/contact-schemas.js';
import { readEditForm, withoutUnchanged } from './contact-edit-form.js';

describe('readEditForm', () => {
  it.each([
    [
      'clears a field left empty, and splits tags on commas',
      { part: 'details', lifecycleStage: '', owner: ' ', tags: 'a, b,,a' },
      { lifecycleStage: null, owner: null, tags: ['a', 'b'] },
    ],
    ['sets a trait as text', { part: 'trait', traitName: ' plan ', traitValue: '42' }, { traits: { plan: '42' } }],
    [
      'sets a trait as JSON when asked',
      { part: 'trait', traitName: 'seats', traitValue: '[1,2]', traitJson: 'on' },
      { traits: { seats: [1, 2] } },
    ],
    ['removes a trait by setting it to null', { part: 'removeTrait', traitName: 'plan' }, { traits: { plan: null } }],
  ])('%s', (_, form, patch) => {
    expect(readEditForm(form)).toEqual({ ok: true, patch });
  });

  it.each([
    ['a stage that is not one', { part: 'details', lifecycleStage: 'boss' }, /^Lifecycle stage: /],
    ['an owner too long', { part: 'details', owner: 'x'.repeat(201) }, /^Owner: /],
    ['a tag too long', { part: 'details', tags: 'y'.repeat(101) }, /^Tags: /],
    ['a trait without a name', { part: 'trait', traitName: ' ', traitValue: 'x' }, /^Trait name: /],
    ['a value that is not JSON', { part: 'trait', traitName: 'a', traitValue: '{', traitJson: 'on' }, /^Trait value: /],
    ['a form of no known part', { owner: 'sam' }, /did not say what to change/],
  ])('refuses %s, naming the field', (_, form, message) => {
    const result = readEditForm(form);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('withoutUnchanged', () => {
  it('leaves out the fields that already hold what the form sends', () => {
    const contact = { lifecycleStage: 'lead', owner: 'sam', tags: ['a'] } as unknown as Contact;
    expect(withoutUnchanged({ lifecycleStage: 'lead', owner: 'kim', tags: ['a'] }, contact)).toEqual({ owner: 'kim' });
    expect(withoutUnchanged({ traits: { plan: 'pro' } }, contact)).toEqual({ traits: { plan: 'pro' } });
  });
});
