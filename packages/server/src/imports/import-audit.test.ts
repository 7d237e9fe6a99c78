import { describe, expect, it } from 'vitest';
import { createContactsTestApp } from '../contacts/contact-test-kit.js';

describe('the admin API records an import started', () => {
  it('writes an audit entry by the admin token naming the import, its key, mode and rows', async () => {
    const t = createContactsTestApp();
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
});
