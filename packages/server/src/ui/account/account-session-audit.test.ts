import { describe, expect, it } from 'vitest';
import { openUiTestApp } from '../ui-test-kit.js';

describe('/ui/account session revocations', () => {
  it('are in the audit log, as an admin ending a session is', async () => {
    const t = await openUiTestApp();
    const laptop = await t.loginAs('member');
    await t.loginAs('member', laptop.user);
    const phone = (await t.store.users.sessions.listOf(laptop.user.id)).find(
      (session) => session.csrfToken !== laptop.csrfToken,
    );
    expect((await laptop.post(`/ui/account/sessions/${phone?.id}/revoke`)).status).toBe(303);
    const [one] = await t.store.users.audit.list({ limit: 1 });
    expect(one).toMatchObject({
      actor: laptop.user.email,
      action: 'session.revoked',
      target: laptop.user.id,
      detail: { session: phone?.id },
    });
    expect((await laptop.post('/ui/account/sessions/revoke-others')).status).toBe(303);
    const [all] = await t.store.users.audit.list({ limit: 1 });
    expect(all).toMatchObject({ actor: laptop.user.email, action: 'session.revoked', target: laptop.user.id });
  });
});
