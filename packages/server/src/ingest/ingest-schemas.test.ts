import { describe, expect, it } from 'vitest';
import { errorSchema } from '../contacts/contact-schemas.js';
import type { EventType } from '../storage/event-store.js';
import { type EngineTestApp, openTestApp } from '../testing/test-app.js';
import { eventSchemas, ingestResultSchema, sourceSettingsSchema, telemetryAckSchema } from './ingest-schemas.js';

/** The ingest routes check events by hand (validate-event.ts); these tests hold the documented schemas to them. */

async function documentedExamples(app: EngineTestApp['app']) {
  const document = (await (await app.request('/openapi.json')).json()) as {
    components: { schemas: Record<string, { example?: unknown }> };
  };
  return document.components.schemas;
}

describe('the ingest schemas in /openapi.json', () => {
  it('describe the answer to a batch exactly, rejections included', async () => {
    const { post } = await openTestApp();
    const response = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u1', event: 'Clicked', messageId: 'm1' },
        { type: 'track', userId: 'u1', messageId: 'm2' },
        { type: 'launch', userId: 'u1' },
      ],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(
      ingestResultSchema
        .strict()
        .parse(body)
        .rejected.map((r) => r.code),
    ).toEqual(['missing_field', 'invalid_type']);
  });

  it('describe the error of a refused request and the settings analytics.js loads', async () => {
    const { app, post, writeKey } = await openTestApp();
    const refused = await post('/v1/batch', { batch: 'nope' });
    expect(refused.status).toBe(400);
    expect(errorSchema.parse(await refused.json()).error.code).toBe('invalid_batch');
    const settings = await app.request(`/v1/projects/${writeKey}/settings`);
    expect(sourceSettingsSchema.parse(await settings.json()).integrations['Segment.io'].apiKey).toBe(writeKey);
    const telemetry = await app.request('/v1/m', { method: 'POST', body: '{}' });
    expect(telemetryAckSchema.parse(await telemetry.json())).toEqual({ success: true });
  });

  it('give examples that the routes accept', async () => {
    const { post, app } = await openTestApp();
    const schemas = await documentedExamples(app);
    for (const [type, schema] of Object.entries(eventSchemas)) {
      const example = schemas[`${type[0]?.toUpperCase()}${type.slice(1)}Event`]?.example;
      expect(schema.parse(example), type).toBeTruthy();
      const response = await post(`/v1/${type}`, example);
      expect(await response.json(), type).toMatchObject({ accepted: 1, rejected: [] });
    }
    const batch = await post('/v1/batch', schemas.Batch?.example);
    expect(await batch.json()).toMatchObject({ accepted: 2, rejected: [] });
  });

  it.each<[string, EventType, Record<string, unknown>]>([
    ['a track without its event name', 'track', { userId: 'u1' }],
    ['a group without groupId', 'group', { userId: 'u1' }],
    ['an alias without previousId', 'alias', { userId: 'u1' }],
    ['an empty userId', 'identify', { userId: '', anonymousId: { id: 1 } }],
    ['properties that are not an object', 'track', { userId: 'u1', event: 'x', properties: [1] }],
    ['a messageId over 100 characters', 'identify', { userId: 'u1', messageId: 'm'.repeat(101) }],
    ['a page name that is not text', 'page', { userId: 'u1', name: 7 }],
  ])('refuse %s, as the route does', async (_, type, event) => {
    const { post } = await openTestApp();
    const response = await post(`/v1/${type}`, event);
    expect(response.status).toBe(400);
    expect(eventSchemas[type].safeParse(event).success).toBe(false);
  });
});
