import { describe, expect, it } from 'vitest';
import { openUiTestApp, type UiTestApp, visibleText } from '../ui-test-kit.js';
import { contactIdOf, sendBatch, withAda } from './contact-page-test-kit.js';

async function lastAudit(harness: UiTestApp) {
  return (await harness.store.users.audit.list({ limit: 1 }))[0];
}

describe('merging, exporting and erasing from the contact page', () => {
  it('asks before a merge, naming both contacts, then merges and records who did it', async () => {
    const harness = await openUiTestApp();
    const ada = await withAda(harness);
    await sendBatch(harness, [{ type: 'identify', userId: 'ada2', traits: { email: 'ada.l@example.com' } }]);
    const other = await contactIdOf(harness, 'ada2');
    const member = await harness.loginAs('member');
    const ask = await member.get(`/ui/contacts/${ada}/merge?other=${encodeURIComponent(' Ada.L@Example.com ')}`);
    expect(ask.status).toBe(200);
    const text = visibleText(await ask.text());
    expect(text).toContain('Merge ada.l@example.com into Ada Lovelace?');
    expect(text).toContain(`Merges in: ada.l@example.com`);
    expect(text).toContain('user_id: ada2');
    expect(await contactIdOf(harness, 'ada2')).toBe(other);
    const merged = await member.post(`/ui/contacts/${ada}/merge`, { other });
    expect(merged.headers.get('Location')).toBe(`/ui/contacts/${ada}?done=merged`);
    expect(await contactIdOf(harness, 'ada2')).toBe(ada);
    expect(await lastAudit(harness)).toMatchObject({
      actor: member.user.email,
      action: 'contact.merged',
      target: ada,
      detail: { absorbed: other },
    });
    const page = visibleText(await (await member.get(`/ui/contacts/${ada}?done=merged`)).text());
    expect(page).toContain('Contacts merged.');
    expect(page).toContain(`${other} merged in`);
  });

  it('refuses to merge a contact into itself, or one that does not exist, on the contact page', async () => {
    const harness = await openUiTestApp();
    const ada = await withAda(harness);
    const member = await harness.loginAs('member');
    const itself = await member.post(`/ui/contacts/${ada}/merge`, { other: 'ada@example.com' });
    expect(itself.status).toBe(400);
    expect(visibleText(await itself.text())).toContain('Merge: that names this same contact.');
    const nobody = await member.get(`/ui/contacts/${ada}/merge?other=nobody@example.com`);
    expect(nobody.status).toBe(404);
    expect(visibleText(await nobody.text())).toContain('Merge: There is no contact nobody@example.com');
    expect(await lastAudit(harness)).toBeUndefined();
  });

  it('exports everything stored as a JSON attachment, and records the export', async () => {
    const harness = await openUiTestApp();
    const ada = await withAda(harness);
    const member = await harness.loginAs('member');
    const answer = await member.get(`/ui/contacts/${ada}/export.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Disposition')).toBe(`attachment; filename="contact-${ada}.json"`);
    const exported = (await answer.json()) as { contact: { id: string }; events: unknown[] };
    expect(exported.contact.id).toBe(ada);
    expect(exported.events).toHaveLength(2);
    expect(await lastAudit(harness)).toMatchObject({
      actor: member.user.email,
      action: 'contact.exported',
      target: ada,
    });
  });

  it('lets an admin erase after a confirmation naming what goes; the contact is gone and the erasure audited', async () => {
    const harness = await openUiTestApp();
    const ada = await withAda(harness);
    const admin = await harness.loginAs('admin');
    await admin.post(`/ui/contacts/${ada}/notes`, { body: 'first call' });
    const ask = await admin.get(`/ui/contacts/${ada}/erase`);
    expect(ask.status).toBe(200);
    const text = visibleText(await ask.text());
    expect(text).toContain('email: ada@example.com');
    expect(text).toContain('user_id: ada');
    expect(text).toContain('2 events');
    expect(text).toContain('1 note ');
    expect(text).toContain('cannot be undone');
    const erased = await admin.post(`/ui/contacts/${ada}/erase`, { suppress: 'true' });
    expect(erased.status).toBe(303);
    expect(erased.headers.get('Location')).toBe('/ui/contacts?done=erased');
    expect((await admin.get(`/ui/contacts/${ada}`)).status).toBe(404);
    expect(await harness.store.contacts.queries.profileByIdentifier('user_id', 'ada')).toBeUndefined();
    expect(await lastAudit(harness)).toMatchObject({
      actor: admin.user.email,
      action: 'contact.erased',
      target: ada,
      detail: { events: 2, notes: 1, suppressed: true },
    });
  });
});
