import { describe, expect, it } from 'vitest';
import { openUiTestApp, uiOrigin, visibleText } from './ui-test-kit.js';

describe('U+0000 (NUL) in the web UI', () => {
  it('is refused in a form field or an address, naming the field, and nothing is written', async () => {
    const harness = await openUiTestApp();
    await harness.post('/v1/identify', { userId: 'ada', traits: { email: 'ada@example.com' } });
    const id = (await harness.store.contacts.queries.profileByIdentifier('user_id', 'ada'))?.public_id;
    const member = await harness.loginAs('member');

    const note = await member.post(`/ui/contacts/${id}/notes`, { body: 'called\u0000her' });
    expect(note.status).toBe(400);
    expect(visibleText(await note.text())).toContain(
      'The field “body” holds a character that cannot be stored (U+0000)',
    );
    const edit = await member.post(`/ui/contacts/${id}/edit`, { owner: 'sam\u0000' });
    expect(edit.status).toBe(400);
    const search = await member.get('/ui/contacts?q=a%00b');
    expect(search.status).toBe(400);
    expect(visibleText(await search.text())).toContain('cannot be stored (%00)');
    const login = await harness.app.request('/ui/login', {
      method: 'POST',
      headers: { Origin: uiOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'a\u0000@example.com', password: 'x' }).toString(),
    });
    expect(login.status).toBe(400);

    const contact = await harness.store.contacts.queries.profileByPublicId(id ?? '');
    expect((await harness.store.contacts.notes.list(contact?.id ?? 0, { limit: 5, cursor: undefined })).data).toEqual(
      [],
    );
    expect(await (await member.get(`/ui/contacts/${id}`)).text()).not.toContain('sam');
  });
});
