import { describe, expect, it } from 'vitest';
import { type EngineTestApp, openTestApp } from '../testing/test-app.js';
import { createJsonLogger } from './logger.js';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('operations endpoints', () => {
  it('GET /health answers 200 while the database answers, 503 once it is gone', async () => {
    const { app, closeDatabase } = await openTestApp();
    const ok = await app.request('/health');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', database: true });
    await closeDatabase();
    expect((await app.request('/health')).status).toBe(503);
  });

  it('GET /metrics counts accepted, rejected and deduplicated events, latency and database size', async () => {
    const { app, post, store } = await openTestApp();
    await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'E', userId: 'u', messageId: 'm1' },
        { type: 'track', event: 'E', userId: 'u', messageId: 'm1' },
        { type: 'track', userId: 'u' },
      ],
    });
    const admin = (await store.credentials.create('admin_token')).secret;
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${admin}` } });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(metric(text, 'weft_events_accepted_total')).toBe(1);
    expect(metric(text, 'weft_events_deduplicated_total')).toBe(1);
    expect(metric(text, 'weft_events_rejected_total')).toBe(1);
    expect(metric(text, 'weft_database_size_bytes')).toBeGreaterThan(0);
    expect(text).toContain('weft_http_request_duration_seconds_count{route="/v1/batch"} 1');
    expect(text).toContain('weft_http_requests_total{route="/v1/batch",status="200"} 1');
  });

  it('writes one JSON log line per request, without the write key', async () => {
    const { app, post, logLines, writeKey } = await openTestApp();
    await post('/v1/track', { userId: 'u', event: 'E' });
    await app.request(`/v1/projects/${writeKey}/settings`);
    await post('/v1/track', '{', {});
    expect(logLines.map((line) => [line.msg, line.path, line.status])).toEqual([
      ['request', '/v1/track', 200],
      ['request', '/v1/projects/:writeKey/settings', 200],
      ['request', '/v1/track', 400],
    ]);
    expect(logLines[0]).toMatchObject({ level: 'info', method: 'POST', accepted: 1, source: 'default' });
    expect(JSON.stringify(logLines)).not.toContain(writeKey);
  });

  it('names the error code on the log line of a 4xx or 5xx answer, and none on a 200', async () => {
    const { app, post, logLines } = await openTestApp();
    await post('/v1/track', { userId: 'u', event: 'E' });
    await post('/v1/track', '{');
    await post('/v1/track', { userId: 'u', event: 'E' }, { writeKey: 'wk_wrong' });
    await app.request('/nowhere');
    expect(logLines.map((line) => [line.status, line.error])).toEqual([
      [200, undefined],
      [400, 'malformed_json'],
      [401, 'invalid_write_key'],
      [404, 'not_found'],
    ]);
  });
});

describe('what /metrics and /health tell whom', () => {
  it('answers /metrics to the metrics token and to an admin token only, never to a write key or no one', async () => {
    const t = await openTestApp({ metricsToken: 'mt_scraper_0123456789abcdefghij' });
    const admin = (await t.store.credentials.create('admin_token')).secret;
    const revoked = await t.store.credentials.create('admin_token');
    await t.store.credentials.revoke(revoked.credential.id);
    const status = async (auth: string | undefined) =>
      (await t.app.request('/metrics', { headers: auth ? { Authorization: auth } : {} })).status;
    expect(await status('Bearer mt_scraper_0123456789abcdefghij')).toBe(200);
    expect(await status(`Bearer ${admin}`)).toBe(200);
    expect(await status(undefined)).toBe(401);
    expect(await status(`Bearer ${t.writeKey}`)).toBe(401);
    expect(await status(`Basic ${Buffer.from(`${t.writeKey}:`).toString('base64')}`)).toBe(401);
    expect(await status(`Bearer ${revoked.secret}`)).toBe(401);
    expect(await status('Bearer mt_scraper_0123456789abcdefghi')).toBe(401);
    const refused = await t.app.request('/metrics');
    expect(refused.headers.get('WWW-Authenticate')).toContain('Bearer');
    expect(await refused.json()).toEqual({ error: { code: 'missing_metrics_token', message: expect.any(String) } });
  });

  it('takes only an admin token for /metrics when no metrics token is set', async () => {
    const t = await openTestApp();
    expect((await t.app.request('/metrics', { headers: { Authorization: 'Bearer ' } })).status).toBe(401);
    expect((await t.app.request('/metrics', { headers: { Authorization: 'Bearer anything' } })).status).toBe(401);
  });

  it('says on /health only that the server and its database are up', async () => {
    const t = await openTestApp();
    const health = await t.app.request('/health');
    expect(await health.json()).toEqual({ status: 'ok', database: true });
  });
});

describe('what the log may hold', () => {
  it('logs route patterns, a redacted path where no route matched, and never a query string', async () => {
    const t = await openTestApp();
    const email = 'carol@example.com';
    await t.app.request(`/v1/contacts/email:${email}`, { method: 'OPTIONS' }); // a preflight
    await t.app.request(`/v1/nowhere/${email}?key=${t.writeKey}`); // an unknown path
    await t.app.request(`/v1/contacts/email:${email}`, { method: 'PUT' }); // a method no route has
    await t.app.request(`/v1/projects/${t.writeKey}/settings?writeKey=${t.writeKey}`);
    await t.app.request(`/v1/batch?writeKey=${t.writeKey}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://a.example' },
    });
    const paths = t.logLines.map((line) => line.path);
    // A request stopped by a middleware shows that middleware's pattern.
    expect(paths).toEqual([
      '/v1/contacts/*',
      '/v1/:redacted/:redacted',
      '/v1/contacts/*',
      '/v1/projects/:writeKey/settings',
      '/v1/batch',
    ]);
    const text = JSON.stringify(t.logLines);
    expect(text).not.toContain(email);
    expect(text).not.toContain(t.writeKey);
  });

  it('logs a 500 with the route pattern, not the path it was asked', async () => {
    const lines: Record<string, unknown>[] = [];
    const t = await openTestApp({ logger: createJsonLogger('info', (line) => lines.push(JSON.parse(line))) });
    const admin = (await t.store.credentials.create('admin_token')).secret;
    await t.post('/v1/identify', { userId: 'u-500', traits: { email: 'dora@example.com' } });
    await t.query('DROP TABLE manual_edits');
    const response = await t.app.request('/v1/contacts/email:dora@example.com', {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ owner: 'sam' }),
    });
    expect(response.status).toBe(500);
    const failure = lines.find((line) => line.msg === 'unhandled error');
    expect(failure?.path).toBe('/v1/contacts/:ref');
    expect(JSON.stringify(lines)).not.toContain('dora@example.com');
  });
});

describe('CORS', () => {
  const preflight = (t: EngineTestApp, path: string, method: string, origin = 'https://shop.example') =>
    t.app.request(path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': method,
        'Access-Control-Request-Headers': 'authorization',
      },
    });

  it('is open on the ingest and settings routes, for any origin', async () => {
    const t = await openTestApp();
    for (const path of ['/v1/batch', '/v1/t', '/v1/track', `/v1/projects/${t.writeKey}/settings`]) {
      const response = await preflight(t, path, 'POST');
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
    }
    const posted = await t.post(
      '/v1/track',
      { userId: 'u', event: 'E' },
      { headers: { Origin: 'https://shop.example' } },
    );
    expect(posted.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('sends no CORS headers on admin routes unless origins are configured', async () => {
    const t = await openTestApp();
    const admin = (await t.store.credentials.create('admin_token')).secret;
    for (const path of ['/v1/contacts', '/v1/contacts/user_id:u', '/v1/companies', '/v1/suppressions', '/metrics']) {
      const response = await preflight(t, path, 'GET');
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
      const read = await t.app.request(path, {
        headers: { Origin: 'https://evil.example', Authorization: `Bearer ${admin}` },
      });
      expect(read.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
    }
  });

  it('allows the configured origins alone on admin routes, with the methods they use', async () => {
    const t = await openTestApp({ adminOrigins: ['https://crm.example.com'] });
    const allowed = await preflight(t, '/v1/contacts/user_id:u', 'PATCH', 'https://crm.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://crm.example.com');
    expect(allowed.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    expect(allowed.headers.get('Access-Control-Allow-Methods')).toContain('DELETE');
    const other = await preflight(t, '/v1/contacts/user_id:u', 'PATCH', 'https://evil.example');
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    // The ingest routes stay open to every origin.
    expect(
      (await preflight(t, '/v1/batch', 'POST', 'https://evil.example')).headers.get('Access-Control-Allow-Origin'),
    ).toBe('*');
  });
});
