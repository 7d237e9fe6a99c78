import { describe, expect, it } from 'vitest';
import { openContactsTestApp } from '../contacts/contact-test-kit.js';

describe('the admin API records an import started', () => {
  it('writes an audit entry by the admin token naming the import, its key, mode and rows', async () => {
    const t = await openContactsTestApp();
    const started = await t.app.request('/v1/imports?mode=fillEmpty', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'text/csv' },
      body: 'email,name\nada@example.com,Ada\nbo@example.com,Bo\n',
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    expect(await t.store.users.audit.list({ limit: 5 })).toMatchObject([
      {
        actor: 'admin token',
        action: 'import.started',
        target: job.id,
        detail: { key: 'email', mode: 'fillEmpty', rows: 2 },
      },
    ]);
  });

  it('writes an audit entry when the refused rows are downloaded', async () => {
    const t = await openContactsTestApp();
    const headers = { Authorization: `Bearer ${t.adminToken}` };
    const started = await t.app.request('/v1/imports', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/csv' },
      body: 'email,name\nnot-an-email,Ada\n',
    });
    const job = (await started.json()) as { id: string };
    for (let tries = 0; tries < 100; tries++) {
      const view = (await (await t.app.request(`/v1/imports/${job.id}`, { headers })).json()) as { status: string };
      if (view.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await t.app.request(`/v1/imports/${job.id}/problems.csv`, { headers })).status).toBe(200);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject({
      actor: 'admin token',
      action: 'import.problems_exported',
      target: job.id,
      detail: { rows: 1 },
    });
  });
});
