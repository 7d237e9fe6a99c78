import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.js';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('operations endpoints', () => {
  it('GET /health answers 200 while the database answers, 503 once it is gone', async () => {
    const { app, db } = createTestApp();
    const ok = await app.request('/health');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', database: true });
    db.close();
    expect((await app.request('/health')).status).toBe(503);
  });

  it('GET /metrics counts accepted, rejected and deduplicated events, latency and database size', async () => {
    const { app, post } = createTestApp();
    await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'E', userId: 'u', messageId: 'm1' },
        { type: 'track', event: 'E', userId: 'u', messageId: 'm1' },
        { type: 'track', userId: 'u' },
      ],
    });
    const res = await app.request('/metrics');
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
    const { app, post, logLines, writeKey } = createTestApp();
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
    const { app, post, logLines } = createTestApp();
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
