import { describe, expect, it } from 'vitest';
import { openUiTestApp, testPassword, uiOrigin } from './ui-test-kit.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('web UI sessions', () => {
  it('sends a visitor without a session to the login page, and back to where they were going after it', async () => {
    const { app } = await openUiTestApp();
    const answer = await app.request('/ui/contacts?stage=lead');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('Location')).toBe('/ui/login?next=%2Fui%2Fcontacts%3Fstage%3Dlead');
    expect((await app.request('/')).headers.get('Location')).toBe('/ui/contacts');
  });

  it('sets an HttpOnly, SameSite=Strict, Secure cookie under https, and refuses a wrong password', async () => {
    const harness = await openUiTestApp();
    const user = await harness.createUser('viewer');
    const wrong = await harness.app.request('/ui/login', {
      method: 'POST',
      headers: { ...formHeaders, Origin: uiOrigin },
      body: form({ email: user.email, password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('Set-Cookie')).toBeNull();
    const right = await harness.app.request('/ui/login', {
      method: 'POST',
      headers: { ...formHeaders, Origin: uiOrigin },
      body: form({ email: user.email.toUpperCase(), password: testPassword, next: 'https://evil.example/' }),
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('Location')).toBe('/ui/contacts');
    const cookie = right.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Host-weft_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('uses a plain cookie name without Secure when the public URL is http', async () => {
    const harness = await openUiTestApp({ publicUrl: 'http://localhost:8787' });
    const user = await harness.createUser('viewer');
    const answer = await harness.app.request('/ui/login', {
      method: 'POST',
      headers: { ...formHeaders, Origin: 'http://localhost:8787' },
      body: form({ email: user.email, password: testPassword }),
    });
    const cookie = answer.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^weft_session=/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses a login posted from another site (Origin), before any password check', async () => {
    const harness = await openUiTestApp();
    const user = await harness.createUser('admin');
    const answer = await harness.app.request('/ui/login', {
      method: 'POST',
      headers: { ...formHeaders, Origin: 'https://evil.example' },
      body: form({ email: user.email, password: testPassword }),
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('Set-Cookie')).toBeNull();
  });

  it('refuses a form posted without the CSRF token, with a wrong one, or from another origin', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('member');
    const withoutToken = await harness.app.request('/ui/views', {
      method: 'POST',
      headers: { ...formHeaders, Cookie: client.cookie, Origin: uiOrigin },
      body: form({ name: 'Leads', query: 'stage=lead' }),
    });
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.text()).toContain('CSRF');
    expect((await client.post('/ui/views', { name: 'Leads', query: 'stage=lead', _csrf: 'x'.repeat(32) })).status).toBe(
      403,
    );
    expect(
      (await client.post('/ui/views', { name: 'Leads' }, { headers: { Origin: 'https://evil.example' } })).status,
    ).toBe(403);
    expect(await harness.store.users.views.listOf(client.user.id)).toEqual([]);
    expect((await client.post('/ui/views', { name: 'Leads', query: 'stage=lead' })).status).toBe(303);
    expect(await harness.store.users.views.listOf(client.user.id)).toMatchObject([
      { name: 'Leads', query: 'stage=lead' },
    ]);
  });

  it('refuses a revoked session at once, and ends a session on logout', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('admin');
    expect((await client.get('/ui/contacts')).status).toBe(200);
    await harness.store.users.sessions.revoke(
      client.user.id,
      (await harness.store.users.sessions.listOf(client.user.id))[0]?.id ?? '',
    );
    expect((await client.get('/ui/contacts')).status).toBe(303);
    expect((await client.post('/ui/views', { name: 'x' })).status).toBe(401);

    const other = await harness.loginAs('viewer');
    expect((await other.post('/ui/logout')).status).toBe(303);
    expect((await other.get('/ui/contacts')).status).toBe(303);
  });

  it('ends a session left idle past the limit', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('viewer');
    harness.clock.time += 8 * 3_600_000 + 1;
    expect((await client.get('/ui/contacts')).status).toBe(303);
  });

  it('lets a session go idle while an open tab refreshes itself (X-Weft-Background), not while it is used', async () => {
    const harness = await openUiTestApp();
    const background = await harness.loginAs('viewer');
    const used = await harness.loginAs('viewer');
    for (let step = 0; step < 3; step++) {
      harness.clock.time += 5 * 3_600_000;
      expect(
        (
          await harness.app.request('/ui/contacts', {
            headers: { Cookie: background.cookie, 'X-Weft-Background': '1' },
          })
        ).status,
      ).toBe(step < 1 ? 200 : 303);
      expect((await used.get('/ui/contacts')).status).toBe(200);
    }
  });

  it('answers every page with a CSP that allows no inline script, and no framing', async () => {
    const harness = await openUiTestApp();
    const client = await harness.loginAs('viewer');
    for (const answer of [await client.get('/ui/contacts'), await harness.app.request('/ui/login')]) {
      const policy = answer.headers.get('Content-Security-Policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('Cache-Control')).toBe('no-store');
      expect(await answer.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });
});
