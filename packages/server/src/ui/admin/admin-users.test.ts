import { describe, expect, it } from 'vitest';
import { openUiTestApp, type UiTestApp, uiOrigin, visibleText } from '../ui-test-kit.js';

const password = 'a new user password';

async function login(t: UiTestApp, email: string, given = password) {
  return t.app.request('/ui/login', {
    method: 'POST',
    headers: { Origin: uiOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: given }).toString(),
  });
}

const newest = async (t: UiTestApp) => (await t.store.users.audit.list({ limit: 1 }))[0];

describe('/ui/admin users', () => {
  it('creates a user who can then log in, recorded in the audit log', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const created = await admin.post('/ui/admin/users', {
      email: 'new@example.com',
      name: 'New Person',
      role: 'viewer',
      password,
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('Location')).toBe('/ui/admin?done=user_created');
    const page = visibleText(await (await admin.get('/ui/admin?done=user_created')).text());
    expect(page).toContain('User created.');
    expect(page).toMatch(/new@example.com New Person viewer/);
    expect((await login(t, 'new@example.com')).status).toBe(303);
    const user = await t.store.users.accounts.byEmail('new@example.com');
    expect(await newest(t)).toMatchObject({
      actor: admin.user.email,
      action: 'user.created',
      target: user?.id,
      detail: { email: 'new@example.com', role: 'viewer' },
    });
  });

  it('refuses a short password and a taken email, keeping what was typed but the password', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const short = await admin.post('/ui/admin/users', { email: 'new@example.com', role: 'member', password: 'short' });
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(visibleText(html)).toContain('password: at least 12 characters');
    expect(html).toContain('value="new@example.com"');
    expect(html).not.toContain('value="short"');
    expect(await t.store.users.accounts.byEmail('new@example.com')).toBeUndefined();
    const taken = await admin.post('/ui/admin/users', { email: admin.user.email, role: 'member', password });
    expect(taken.status).toBe(409);
  });

  it('changes a role, recorded in the audit log and in force on the user’s next request', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const member = await t.loginAs('member');
    expect((await member.get('/ui/contacts/export.csv')).status).toBe(200);
    const changed = await admin.post(`/ui/admin/users/${member.user.id}/role`, { role: 'viewer' });
    expect(changed.headers.get('Location')).toBe(`/ui/admin/users/${member.user.id}?done=role_changed`);
    expect((await member.get('/ui/contacts/export.csv')).status).toBe(403);
    expect(visibleText(await (await member.get('/ui/contacts')).text())).toContain('(viewer)');
    expect(await newest(t)).toMatchObject({
      actor: admin.user.email,
      action: 'user.role_changed',
      target: member.user.id,
      detail: { from: 'member', to: 'viewer' },
    });
  });

  it('will not demote the last active admin, and says why', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const refused = await admin.post(`/ui/admin/users/${admin.user.id}/role`, { role: 'member' });
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain(`${admin.user.email} is the last active admin`);
    expect((await t.store.users.accounts.byId(admin.user.id))?.role).toBe('admin');
    expect(await newest(t)).toBeUndefined();
    // With a second admin, the first may step down.
    await t.createUser('admin');
    expect((await admin.post(`/ui/admin/users/${admin.user.id}/role`, { role: 'member' })).status).toBe(303);
  });

  it('disabling a user ends their session at once; enabling lets them log in again', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const member = await t.loginAs('member');
    expect((await member.get('/ui/contacts')).status).toBe(200);
    expect((await admin.post(`/ui/admin/users/${member.user.id}/disable`)).status).toBe(303);
    expect((await member.get('/ui/contacts')).status).toBe(303);
    expect((await member.post('/ui/views', { name: 'x' })).status).toBe(401);
    expect((await login(t, member.user.email, 'correct horse battery staple')).status).toBe(401);
    expect(await newest(t)).toMatchObject({ action: 'user.disabled', target: member.user.id });
    expect((await admin.post(`/ui/admin/users/${member.user.id}/enable`)).status).toBe(303);
    expect((await login(t, member.user.email, 'correct horse battery staple')).status).toBe(303);
    expect(await newest(t)).toMatchObject({ action: 'user.enabled', target: member.user.id });
    const self = await admin.post(`/ui/admin/users/${admin.user.id}/disable`);
    expect(self.status).toBe(409);
    expect((await admin.get('/ui/admin')).status).toBe(200);
  });

  it("shows a user's sessions and revokes one, refused at once, recorded", async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const member = await t.loginAs('member');
    const [session] = await t.store.users.sessions.listOf(member.user.id);
    const page = visibleText(await (await admin.get(`/ui/admin/users/${member.user.id}`)).text());
    expect(page).toMatch(/Sessions .* Active Revoke/);
    const revoked = await admin.post(`/ui/admin/users/${member.user.id}/sessions/${session?.id}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await member.get('/ui/contacts')).status).toBe(303);
    expect(await newest(t)).toMatchObject({
      action: 'session.revoked',
      target: member.user.id,
      detail: { session: session?.id },
    });
    expect((await admin.post(`/ui/admin/users/${member.user.id}/sessions/${session?.id}/revoke`)).status).toBe(404);
  });

  it('writes a name that holds markup as text, on the list and the user page', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const name = '<script>x</script>';
    await admin.post('/ui/admin/users', { email: 'x@example.com', name, role: 'viewer', password });
    const user = await t.store.users.accounts.byEmail('x@example.com');
    for (const path of ['/ui/admin', `/ui/admin/users/${user?.id}`]) {
      const html = await (await admin.get(path)).text();
      expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(html).not.toContain(name);
    }
  });
});
