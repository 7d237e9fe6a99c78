import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';
import { contactIdOf, traitsOf, withAda } from './contact-page-test-kit.js';

describe('editing on the contact page', () => {
  it('lets a member set the stage, owner, tags and a trait, and remove a trait', async () => {
    const harness = await openUiTestApp();
    const id = await withAda(harness);
    const member = await harness.loginAs('member');
    const details = { part: 'details', lifecycleStage: 'customer', owner: 'sam', tags: 'vip, beta , ,vip' };
    const saved = await member.post(`/ui/contacts/${id}/edit`, details);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/ui/contacts/${id}?done=saved`);
    const set = await member.post(`/ui/contacts/${id}/edit`, {
      part: 'trait',
      traitName: 'seats',
      traitValue: '12',
      traitJson: 'on',
    });
    expect(set.status).toBe(303);
    expect((await member.post(`/ui/contacts/${id}/edit`, { part: 'removeTrait', traitName: 'plan' })).status).toBe(303);
    const row = await harness.store.contacts.queries.profileByPublicId(id);
    expect(row).toMatchObject({ lifecycle_stage: 'customer', owner: 'sam', tags: '["vip","beta"]' });
    expect(await traitsOf(harness, 'ada')).toMatchObject({ seats: 12, plan: null });
    const text = visibleText(await (await member.get(`/ui/contacts/${id}?done=saved`)).text());
    expect(text).toContain('Saved.');
    expect(text).toContain('seats 12 edited by a person');
    expect(text).not.toContain('plan pro');
  });

  it('refuses bad input with a message naming the field, and changes nothing', async () => {
    const harness = await openUiTestApp();
    const id = await withAda(harness);
    const member = await harness.loginAs('member');
    const longOwner = await member.post(`/ui/contacts/${id}/edit`, { part: 'details', owner: 'x'.repeat(201) });
    expect(longOwner.status).toBe(400);
    expect(visibleText(await longOwner.text())).toMatch(/Owner: .*200/);
    const badStage = await member.post(`/ui/contacts/${id}/edit`, { part: 'details', lifecycleStage: 'boss' });
    expect(badStage.status).toBe(400);
    expect(visibleText(await badStage.text())).toContain('Lifecycle stage:');
    const badJson = await member.post(`/ui/contacts/${id}/edit`, {
      part: 'trait',
      traitName: 'seats',
      traitValue: '{',
      traitJson: 'on',
    });
    expect(visibleText(await badJson.text())).toContain('Trait value: not JSON');
    expect(await harness.store.contacts.queries.profileByPublicId(id)).toMatchObject({
      owner: null,
      lifecycle_stage: null,
    });
    expect(await traitsOf(harness, 'ada')).not.toHaveProperty('seats');
  });

  it('adds a note signed with the member’s email, newest first', async () => {
    const harness = await openUiTestApp();
    const id = await withAda(harness);
    const member = await harness.loginAs('member');
    const added = await member.post(`/ui/contacts/${id}/notes`, { body: 'Called her.\r\nWants a demo.' });
    expect(added.headers.get('Location')).toBe(`/ui/contacts/${id}?done=note_added`);
    expect((await member.post(`/ui/contacts/${id}/notes`, { body: '   ' })).status).toBe(400);
    const html = await (await member.get(`/ui/contacts/${id}`)).text();
    expect(visibleText(html)).toContain(`${member.user.email},`);
    expect(html).toContain('Called her.<br/>Wants a demo.');
  });

  it('lets a viewer look but not edit, note, merge or export: 403 and nothing changed', async () => {
    const harness = await openUiTestApp();
    const id = await withAda(harness);
    const viewer = await harness.loginAs('viewer');
    const page = await (await viewer.get(`/ui/contacts/${id}`)).text();
    expect(page).not.toContain(`action="/ui/contacts/${id}/edit"`);
    expect(page).not.toContain(`action="/ui/contacts/${id}/notes"`);
    const edit = await viewer.post(`/ui/contacts/${id}/edit`, { part: 'details', owner: 'eve' });
    expect(edit.status).toBe(403);
    expect(visibleText(await edit.text())).toContain('can look but not change');
    expect((await viewer.post(`/ui/contacts/${id}/notes`, { body: 'hi' })).status).toBe(403);
    expect((await viewer.get(`/ui/contacts/${id}/export.json`)).status).toBe(403);
    expect((await viewer.get(`/ui/contacts/${id}/merge?other=ct_x`)).status).toBe(403);
    const row = await harness.store.contacts.queries.profileByPublicId(id);
    expect(row).toMatchObject({ owner: null });
    expect((await harness.store.contacts.notes.list(row?.id ?? 0, { limit: 5, cursor: undefined })).data).toEqual([]);
  });

  it('lets a member edit but not erase: 403, and the contact stays', async () => {
    const harness = await openUiTestApp();
    const id = await withAda(harness);
    const member = await harness.loginAs('member');
    expect((await member.get(`/ui/contacts/${id}`)).status).toBe(200);
    expect(await (await member.get(`/ui/contacts/${id}`)).text()).not.toContain(`/ui/contacts/${id}/erase`);
    expect((await member.get(`/ui/contacts/${id}/erase`)).status).toBe(403);
    const erase = await member.post(`/ui/contacts/${id}/erase`, {});
    expect(erase.status).toBe(403);
    expect(visibleText(await erase.text())).toContain('Only admins can erase a contact.');
    expect(await contactIdOf(harness, 'ada')).toBe(id);
  });
});
