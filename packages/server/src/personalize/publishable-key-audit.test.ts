import { describe, expect, it } from 'vitest';
import { openPersonalizeTestApp } from './personalize-test-kit.js';

const byToken = (action: string, id: string) => ({
  actor: 'admin token',
  action,
  target: id,
  detail: { kind: 'publishable_key' },
});

describe('the admin API records what it does to publishable keys', () => {
  it('records a key created', async () => {
    const t = await openPersonalizeTestApp();
    const { id } = await t.makeKey({ traits: ['plan'] });
    expect(await t.store.users.audit.list({ limit: 5 })).toMatchObject([byToken('key.created', id)]);
  });

  it('records a key updated', async () => {
    const t = await openPersonalizeTestApp();
    const { id } = await t.makeKey({ traits: ['plan'] });
    expect((await t.send('PATCH', `/v1/publishable-keys/${id}`, { traits: ['city'] })).status).toBe(200);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject(byToken('key.updated', id));
  });

  it('records a key revoked, and nothing for a key that does not exist', async () => {
    const t = await openPersonalizeTestApp();
    const { id } = await t.makeKey({ traits: ['plan'] });
    expect((await t.send('DELETE', '/v1/publishable-keys/pkey_000000000000', undefined)).status).toBe(404);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject(byToken('key.created', id));
    expect((await t.send('DELETE', `/v1/publishable-keys/${id}`, undefined)).status).toBe(204);
    expect((await t.store.users.audit.list({ limit: 1 }))[0]).toMatchObject(byToken('key.revoked', id));
  });
});
