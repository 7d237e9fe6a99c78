import { describe, expect, it } from 'vitest';
import { openTestApp } from '../testing/test-app.js';

describe('ingestion routes', () => {
  it('stores the valid events of a batch, lists the invalid ones by index, and answers 200', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Signed Up', userId: 'u1', messageId: 'm1' },
        { type: 'track', userId: 'u1', messageId: 'm2' },
        { type: 'identify', anonymousId: 'a1', traits: { plan: 'pro' }, messageId: 'm3' },
        { type: 'launch', userId: 'u1', messageId: 'm4' },
        'not an object',
        { type: 'page', messageId: 'm6' },
      ],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      success: true,
      accepted: 2,
      deduplicated: 0,
      rejected: [
        { index: 1, messageId: 'm2', code: 'missing_field', message: expect.stringContaining('"event"') },
        { index: 3, messageId: 'm4', code: 'invalid_type', message: expect.stringContaining('type must be one of') },
        { index: 4, messageId: null, code: 'invalid_event', message: 'an event must be a JSON object' },
        { index: 5, messageId: 'm6', code: 'missing_identity', message: 'page needs a userId or an anonymousId' },
      ],
    });
    expect((await storedEvents()).map((row) => row.message_id)).toEqual(['m1', 'm3']);
  });

  it.each([
    ['/v1/identify', 'identify', { userId: 'u1', traits: { email: 'a@example.com' } }],
    ['/v1/track', 'track', { userId: 'u1', event: 'Clicked' }],
    ['/v1/page', 'page', { anonymousId: 'a1', name: 'Home' }],
    ['/v1/screen', 'screen', { anonymousId: 'a1', name: 'Settings' }],
    ['/v1/group', 'group', { userId: 'u1', groupId: 'g1' }],
    ['/v1/alias', 'alias', { userId: 'u1', previousId: 'a1' }],
    ['/v1/i', 'identify', { userId: 'u1' }],
    ['/v1/t', 'track', { userId: 'u1', event: 'Clicked' }],
    ['/v1/p', 'page', { anonymousId: 'a1' }],
    ['/v1/s', 'screen', { anonymousId: 'a1' }],
    ['/v1/g', 'group', { userId: 'u1', groupId: 'g1' }],
    ['/v1/a', 'alias', { userId: 'u1', previousId: 'a1' }],
  ])('POST %s stores one %s event, typed by the path', async (path, type, event) => {
    const { post, storedEvents } = await openTestApp();
    const res = await post(path, { ...event, type: 'something else' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, accepted: 1 });
    const [row] = await storedEvents();
    expect(row?.type).toBe(type);
    expect(row?.body.type).toBe(type);
  });

  it('serves the short batch path /v1/b used by analytics-next', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/b', { batch: [{ type: 'track', event: 'E', anonymousId: 'a' }] });
    expect(res.status).toBe(200);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('refuses an invalid single event with 400 naming the problem', async () => {
    const { post, storedEvents } = await openTestApp();
    const res = await post('/v1/group', { userId: 'u1' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'missing_field', message: expect.stringContaining('groupId') } });
    expect(await storedEvents()).toHaveLength(0);
  });

  it('accepts a text/plain body carrying writeKey, and does not store the key', async () => {
    const { post, storedEvents, writeKey } = await openTestApp();
    const res = await post(
      '/v1/t',
      { writeKey, event: 'Viewed', anonymousId: 'a1' },
      { writeKey: null, headers: { 'Content-Type': 'text/plain' } },
    );
    expect(res.status).toBe(200);
    const [row] = await storedEvents();
    expect(row?.event).toBe('Viewed');
    expect(row?.body).not.toHaveProperty('writeKey');
  });

  it('keeps unknown fields such as _metadata and custom context', async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/track', {
      userId: 'u1',
      event: 'E',
      _metadata: { bundled: ['Segment.io'] },
      context: { custom: { deep: true } },
    });
    const [row] = await storedEvents();
    expect(row?.body._metadata).toEqual({ bundled: ['Segment.io'] });
    expect(row?.body.context).toEqual({ custom: { deep: true } });
  });

  it('merges the batch context and integrations into each event, the event winning', async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/batch', {
      context: { library: { name: 'lib' }, ip: '1.2.3.4' },
      integrations: { All: false },
      batch: [{ type: 'track', event: 'E', userId: 'u', context: { ip: '5.6.7.8' } }],
    });
    const [row] = await storedEvents();
    expect(row?.body.context).toEqual({ library: { name: 'lib' }, ip: '5.6.7.8' });
    expect(row?.body.integrations).toEqual({ All: false });
  });

  it('gives an event without messageId a generated one', async () => {
    const { post, storedEvents } = await openTestApp();
    await post('/v1/track', { userId: 'u1', event: 'E' });
    const [row] = await storedEvents();
    expect(row?.message_id).toBe('generated-1');
    expect(row?.body.messageId).toBe('generated-1');
  });

  it('fails the whole request when the envelope is wrong', async () => {
    const { post } = await openTestApp();
    for (const [body, code] of [
      [{ batch: {} }, 'invalid_batch'],
      [[{ type: 'track' }], 'invalid_body'],
      [{ batch: [], sentAt: 'yesterday' }, 'invalid_field'],
      [{ batch: [], context: 'x' }, 'invalid_field'],
    ] as const) {
      const res = await post('/v1/batch', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  it('answers CORS preflights and marks answers readable by any origin', async () => {
    const { app, post } = await openTestApp();
    const preflight = await app.request('/v1/t', {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const res = await post('/v1/t', { userId: 'u', event: 'E' }, { headers: { Origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lets analytics.js, configured by the settings response alone, send to the short paths', async () => {
    const { app, storedEvents, writeKey } = await openTestApp();
    const settings = (await (await app.request(`/v1/projects/${writeKey}/settings`)).json()) as {
      integrations: { 'Segment.io': { apiKey: string; apiHost: string; protocol: string } };
      metrics: { host: string };
    };
    const { apiKey, apiHost, protocol } = settings.integrations['Segment.io'];
    // What analytics-next does: `${protocol}://${apiHost}/t`, text/plain, the key in the body.
    const trackUrl = new URL(`${protocol}://${apiHost}/t`);
    expect(trackUrl.origin).toBe('https://weft.example.com');
    const res = await app.request(trackUrl.pathname, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ writeKey: apiKey, type: 'track', event: 'Viewed', anonymousId: 'a1' }),
    });
    expect(res.status).toBe(200);
    expect((await storedEvents()).map((row) => row.event)).toEqual(['Viewed']);
    const telemetry = new URL(`${protocol}://${settings.metrics.host}/m`);
    expect((await app.request(telemetry.pathname, { method: 'POST', body: '{}' })).status).toBe(200);
  });

  it('acknowledges and drops analytics-next telemetry on /v1/m', async () => {
    const { app, storedEvents } = await openTestApp();
    const res = await app.request('/v1/m', { method: 'POST', body: '{"series":[]}' });
    expect(res.status).toBe(200);
    expect(await storedEvents()).toHaveLength(0);
  });

  it('answers unknown paths with the common error shape', async () => {
    const { app } = await openTestApp();
    const res = await app.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /v2/nothing' } });
  });
});
