import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../users/password-hash.js';
import { openUiTestApp, testPassword, visibleText } from '../ui-test-kit.js';

describe('/ui/account', () => {
  it('lists your own sessions, this one marked, and no one else’s', async () => {
    const t = await openUiTestApp();
    const viewer = await t.loginAs('viewer');
    await t.loginAs('member');
    await t.store.users.sessions.open(viewer.user.id, 'Other Browser/1.0');
    const text = visibleText(await (await viewer.get('/ui/account')).text());
    expect(text).toContain(viewer.user.email);
    expect(text.match(/\(this session\)/g)).toHaveLength(1);
    expect(text).toContain('Other Browser/1.0');
    expect((await t.store.users.sessions.listOf(viewer.user.id)).length).toBe(2);
    expect(text.match(/Active/g)).toHaveLength(2);
  });

  it('revokes one of your sessions, which is refused at once; not someone else’s', async () => {
    const t = await openUiTestApp();
    const phone = await t.loginAs('member');
    const laptop = await t.loginAs('member', phone.user);
    const other = await t.loginAs('viewer');
    const sessions = await t.store.users.sessions.listOf(phone.user.id);
    const phoneSession = sessions.find((session) => session.csrfToken === phone.csrfToken);
    const answer = await laptop.post(`/ui/account/sessions/${phoneSession?.id}/revoke`);
    expect(answer.headers.get('Location')).toBe('/ui/account?done=session_revoked');
    expect((await phone.get('/ui/contacts')).status).toBe(303);
    expect((await laptop.get('/ui/contacts')).status).toBe(200);
    const [otherSession] = await t.store.users.sessions.listOf(other.user.id);
    expect((await laptop.post(`/ui/account/sessions/${otherSession?.id}/revoke`)).status).toBe(404);
    expect((await other.get('/ui/contacts')).status).toBe(200);
  });

  it('revoking this session logs you out', async () => {
    const t = await openUiTestApp();
    const client = await t.loginAs('viewer');
    const [session] = await t.store.users.sessions.listOf(client.user.id);
    const answer = await client.post(`/ui/account/sessions/${session?.id}/revoke`);
    expect(answer.headers.get('Location')).toBe('/ui/login');
    expect((await client.get('/ui/contacts')).status).toBe(303);
  });

  it('logs out everywhere else, keeping this browser logged in', async () => {
    const t = await openUiTestApp();
    const here = await t.loginAs('member');
    const there = await t.loginAs('member', here.user);
    const answer = await here.post('/ui/account/sessions/revoke-others');
    expect(answer.status).toBe(303);
    expect((await there.get('/ui/contacts')).status).toBe(303);
    const cookie = (answer.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect((await t.app.request('/ui/account', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('changes your password only with the current one, and checks the new one', async () => {
    const t = await openUiTestApp();
    const client = await t.loginAs('viewer');
    const newPassword = 'another long password';
    const wrong = await client.post('/ui/account/password', {
      current: 'not my password',
      password: newPassword,
      confirm: newPassword,
    });
    expect(wrong.status).toBe(400);
    expect(visibleText(await wrong.text())).toContain('Your current password is not the one you typed.');
    const short = await client.post('/ui/account/password', {
      current: testPassword,
      password: 'short',
      confirm: 'short',
    });
    expect(visibleText(await short.text())).toContain('password: at least 12 characters');
    const differ = await client.post('/ui/account/password', {
      current: testPassword,
      password: newPassword,
      confirm: `${newPassword}!`,
    });
    expect(differ.status).toBe(400);
    const hash = async () => (await t.store.users.accounts.byEmail(client.user.email))?.passwordHash ?? '';
    expect(await verifyPassword(testPassword, await hash())).toBe(true);
    const changed = await client.post('/ui/account/password', {
      current: testPassword,
      password: newPassword,
      confirm: newPassword,
    });
    expect(changed.headers.get('Location')).toBe('/ui/account?done=password_changed');
    expect(await verifyPassword(newPassword, await hash())).toBe(true);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject({
      actor: client.user.email,
      action: 'user.password_changed',
      target: client.user.id,
    });
  });
});
