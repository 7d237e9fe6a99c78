import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

describe('/ui/admin/keys', () => {
  it('shows a new secret once, on the answer, with a warning; never on the keys page; and it works', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const answer = await admin.post('/ui/admin/keys/credentials', { kind: 'server', source: 'backend' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Cache-Control')).toBe('no-store');
    const html = await answer.text();
    const secret = /id="secret"[^>]*value="(wk_[^"]+)"/.exec(html)?.[1] ?? '';
    expect(secret).toMatch(/^wk_/);
    expect(visibleText(html)).toContain('shown only this once');
    const [credential] = (await t.store.credentials.list()).filter((row) => row.source === 'backend');
    expect(credential).toMatchObject({ kind: 'write_key', writeKeyKind: 'server' });
    const keysPage = await (await admin.get('/ui/admin/keys')).text();
    expect(keysPage).not.toContain(secret);
    expect(visibleText(keysPage)).toContain(`${credential?.id} Write key (server) backend ${credential?.hint}`);
    expect(await t.store.credentials.findWriteKey(secret)).toMatchObject({ source: 'backend' });
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject({
      actor: admin.user.email,
      action: 'key.created',
      target: credential?.id,
      detail: { kind: 'write_key', writeKeyKind: 'server' },
    });
    expect(JSON.stringify(await t.store.users.audit.list({ limit: 10 }))).not.toContain(secret);
  });

  it('revokes an admin token at once, recorded with its kind', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const { credential, secret } = await t.store.credentials.create('admin_token');
    const revoked = await admin.post(`/ui/admin/keys/credentials/${credential.id}/revoke`);
    expect(revoked.headers.get('Location')).toBe('/ui/admin/keys?done=key_revoked');
    expect(await t.store.credentials.verifyAdminToken(secret)).toBe(false);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject({
      action: 'key.revoked',
      target: credential.id,
      detail: { kind: 'admin_token' },
    });
    expect((await admin.post(`/ui/admin/keys/credentials/${credential.id}/revoke`)).status).toBe(404);
  });

  it('creates a publishable key with the API’s checks, and revokes it', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    const bad = await admin.post('/ui/admin/keys/publishable', { name: 'shop', origins: 'https://shop.example/path' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(visibleText(badHtml)).toContain('did you mean https://shop.example');
    expect(badHtml).toContain('value="https://shop.example/path"');
    expect(await t.store.personalize.keys.list()).toEqual([]);
    const made = await admin.post('/ui/admin/keys/publishable', {
      name: 'shop',
      origins: 'https://shop.example, https://www.shop.example',
      traits: 'plan',
    });
    expect(made.headers.get('Location')).toBe('/ui/admin/keys?done=key_created');
    const [key] = await t.store.personalize.keys.list();
    expect(key?.policy).toEqual({
      origins: ['https://shop.example', 'https://www.shop.example'],
      traits: ['plan'],
      computedTraits: [],
      audiences: [],
    });
    expect(await (await admin.get('/ui/admin/keys')).text()).toContain(key?.key ?? 'no key');
    expect((await admin.post(`/ui/admin/keys/publishable/${key?.id}/revoke`)).status).toBe(303);
    expect(await t.store.personalize.keys.findActive(key?.key ?? '')).toBeUndefined();
    expect((await t.store.users.audit.list({ limit: 2 })).map((entry) => entry.action)).toEqual([
      'key.revoked',
      'key.created',
    ]);
  });
});
