import { describe, expect, it } from 'vitest';
import { defaultSessionTiming } from '../ui-settings.js';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

async function setting() {
  const t = await openUiTestApp();
  const admin = await t.loginAs('admin');
  const target = await t.createUser('member', 'target@example.com');
  const session = await t.store.users.sessions.open(target.id, 'agent');
  const credential = (await t.store.credentials.create('admin_token')).credential;
  const key = await t.store.personalize.keys.create('shop', {
    traits: [],
    computedTraits: [],
    audiences: [],
    origins: ['https://shop.example'],
  });
  const user = `/ui/admin/users/${target.id}`;
  const pages = [
    '/ui/admin',
    user,
    '/ui/admin/keys',
    '/ui/admin/audit',
    '/ui/admin/audit?before=5',
    '/ui/admin/users/us_nobody',
  ];
  const forms: [string, Record<string, string>][] = [
    ['/ui/admin/users', { email: 'new@example.com', role: 'admin', password: 'a long enough password' }],
    [`${user}/role`, { role: 'admin' }],
    [`${user}/disable`, {}],
    [`${user}/enable`, {}],
    [`${user}/sessions/${session.session.id}/revoke`, {}],
    ['/ui/admin/keys/credentials', { kind: 'admin_token' }],
    [`/ui/admin/keys/credentials/${credential.id}/revoke`, {}],
    ['/ui/admin/keys/publishable', { name: 'mine', origins: 'https://evil.example' }],
    [`/ui/admin/keys/publishable/${key.id}/revoke`, {}],
  ];
  return { t, admin, target, session, pages, forms };
}

describe('the admin pages, to anyone but an admin', () => {
  it.each(['member', 'viewer'] as const)('refuse a %s every page and form with 403, changing nothing', async (role) => {
    const { t, target, session, pages, forms } = await setting();
    const client = await t.loginAs(role);
    const auditBefore = await t.store.users.audit.list({ limit: 100 });
    const credentialsBefore = await t.store.credentials.list();
    for (const path of pages) {
      const answer = await client.get(path);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(visibleText(await answer.text())).toContain('Only admins can manage users, keys and the audit log.');
    }
    for (const [path, form] of forms) {
      expect([path, (await client.post(path, form)).status]).toEqual([path, 403]);
    }
    expect(await t.store.users.accounts.byId(target.id)).toEqual(target);
    expect(await t.store.users.accounts.byEmail('new@example.com')).toBeUndefined();
    expect(await t.store.users.sessions.resume(session.secret, defaultSessionTiming)).toBeDefined();
    expect(await t.store.credentials.list()).toEqual(credentialsBefore);
    expect((await t.store.personalize.keys.list()).map((key) => key.revokedAt)).toEqual([null]);
    expect(await t.store.users.audit.list({ limit: 100 })).toEqual(auditBefore);
    expect(visibleText(await (await client.get('/ui/contacts')).text())).not.toMatch(/\bAdmin\b/);
  });

  it('let an admin see each page (the test above would pass for a page that refused everyone)', async () => {
    const { admin, pages } = await setting();
    for (const path of pages.filter((page) => !page.includes('us_nobody'))) {
      expect([path, (await admin.get(path)).status]).toEqual([path, 200]);
    }
    expect(visibleText(await (await admin.get('/ui/contacts')).text())).toMatch(/\bAdmin\b/);
  });
});
