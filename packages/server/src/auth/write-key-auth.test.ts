import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';

const event = { userId: 'u1', event: 'E' };

describe('write key authentication', () => {
  it('accepts the write key as the HTTP Basic user name', async () => {
    const { post } = await openTestApp();
    expect((await post('/v1/track', event)).status).toBe(200);
  });

  it('refuses a request without a write key with 401 and says where to put one', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/track', event, { writeKey: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
    expect(await res.json()).toEqual({
      error: { code: 'missing_write_key', message: expect.stringContaining('HTTP Basic user name') },
    });
    expect(await storedEvents()).toHaveLength(0);
  });

  it('refuses an unknown write key in the header, even if the body holds a good one', async () => {
    const { post, writeKey } = await openTestApp();
    const res = await post('/v1/track', { ...event, writeKey }, { writeKey: 'wk_wrong' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_write_key');
  });

  it('refuses an unknown write key in the body', async () => {
    const { post } = await openTestApp();
    const res = await post('/v1/track', { ...event, writeKey: 'wk_wrong' }, { writeKey: null });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked write key', async () => {
    const { post, store } = await openTestApp();
    const [key] = await store.credentials.list();
    await store.credentials.revoke(key?.id ?? '');
    expect((await post('/v1/track', event)).status).toBe(401);
  });

  it('stores events under the source of the write key', async () => {
    const { post, store, storedEvents } = await openTestApp();
    const mobile = (await store.credentials.create('write_key', { source: 'mobile' })).secret;
    await post('/v1/track', event, { writeKey: mobile });
    expect((await storedEvents())[0]?.source).toBe('mobile');
  });

  it('serves analytics.js settings only for a known write key', async () => {
    const { app, writeKey } = await openTestApp();
    const res = await app.request(`/v1/projects/${writeKey}/settings`);
    expect(res.status).toBe(200);
    const settings = (await res.json()) as { integrations: Record<string, unknown> };
    expect(settings.integrations['Segment.io']).toEqual({
      apiKey: writeKey,
      apiHost: 'weft.example.com/v1',
      protocol: 'https',
    });
    expect((await app.request('/v1/projects/wk_nope/settings')).status).toBe(401);
  });
});
