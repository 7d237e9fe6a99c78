import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

async function withPeople() {
  const harness = await openUiTestApp();
  const batch = [
    {
      type: 'identify',
      userId: 'u1',
      traits: { email: 'ada@example.com', name: '<script>alert(1)</script>', plan: 'pro' },
    },
    { type: 'identify', userId: 'u2', traits: { email: 'bo@example.com', name: 'Bo', plan: 'free' } },
  ];
  expect((await harness.post('/v1/batch', { batch })).status).toBe(200);
  return harness;
}

describe('the contacts list page', () => {
  it('shows contacts with a name holding markup as text, never as markup', async () => {
    const harness = await withPeople();
    const html = await (await (await harness.loginAs('viewer')).get('/ui/contacts')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(visibleText(html)).toContain('bo@example.com');
  });

  it('filters by a trait and counts the matches', async () => {
    const harness = await withPeople();
    const html = await (await (await harness.loginAs('viewer')).get('/ui/contacts?trait=plan&traitValue=free')).text();
    expect(visibleText(html)).toContain('1 matching');
    expect(html).toContain('bo@example.com');
    expect(html).not.toContain('ada@example.com');
  });

  it('says what is wrong with a cursor from elsewhere, above an empty table', async () => {
    const harness = await withPeople();
    const answer = await (await harness.loginAs('viewer')).get('/ui/contacts?cursor=forged');
    expect(answer.status).toBe(400);
    expect(visibleText(await answer.text())).toMatch(/cursor/i);
  });

  it('exports the list as CSV for a member, with an audit entry, and not for a viewer', async () => {
    const harness = await withPeople();
    const viewer = await harness.loginAs('viewer');
    expect((await viewer.get('/ui/contacts/export.csv')).status).toBe(403);
    const member = await harness.loginAs('member');
    const answer = await member.get('/ui/contacts/export.csv?trait=plan&traitValue=pro');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toMatch(/text\/csv/);
    const csv = await answer.text();
    expect(csv).toContain('ada@example.com');
    expect(csv).not.toContain('bo@example.com');
    const [entry] = await harness.store.users.audit.list({ limit: 5 });
    expect(entry).toMatchObject({ actor: member.user.email, action: 'contacts.exported' });
  });
});
