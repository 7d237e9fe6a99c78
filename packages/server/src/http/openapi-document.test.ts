import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.js';
import { fetchApiDocument } from './api-docs.js';
import { listOperations } from './openapi-types.js';
import { documentedRoutes, servedRoutes } from './route-inventory.js';

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      (await fetchApiDocument(createTestApp().app)) as unknown as Record<string, unknown>,
    );
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Compiling the OpenAPI meta-schema takes seconds on a busy machine; no speed is tested here.
  }, 60_000);

  it('describes every route the app serves, and only those', async () => {
    const { app } = createTestApp();
    const served = servedRoutes(app);
    // A sample from each part of the server, so an empty routing table cannot pass.
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /metrics',
        'GET /openapi.json',
        'POST /v1/batch',
        'POST /v1/t',
        'GET /v1/projects/{writeKey}/settings',
        'POST /v1/m',
        'GET /v1/contacts/{ref}',
        'GET /v1/companies',
      ]),
    );
    expect(documentedRoutes(await fetchApiDocument(app))).toEqual(served);
  });

  it('notices a route served without a description', async () => {
    const { app } = createTestApp();
    app.get('/v1/undocumented/:id', (c) => c.text('hidden'));
    const served = servedRoutes(app);
    const documented = documentedRoutes(await fetchApiDocument(app));
    expect(served.filter((route) => !documented.includes(route))).toEqual(['GET /v1/undocumented/{id}']);
  });

  it('names the authentication of every operation: none, a write key, a publishable key or the admin token, with a 401', async () => {
    const document = await fetchApiDocument(createTestApp().app);
    const schemes = document.components?.securitySchemes ?? {};
    expect(schemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.writeKey).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(schemes.metricsToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.publishableKey).toMatchObject({ type: 'apiKey', in: 'query', name: 'key' });
    // The personalization stream takes a ticket (signed by the server, 60 s) in its query instead.
    const open = [
      'GET /health',
      'GET /openapi.json',
      'GET /v1/projects/{writeKey}/settings',
      'POST /v1/m',
      'GET /v1/personalize/stream',
    ];
    for (const { method, path, operation } of listOperations(document)) {
      const route = `${method.toUpperCase()} ${path}`;
      if (open.includes(route)) {
        expect(operation.security, route).toEqual([]);
        continue;
      }
      // The write key may come in the body instead (sendBeacon), hence the empty alternative.
      const expected = operation.tags?.includes('Ingestion')
        ? [{ writeKey: [] }, {}]
        : route === 'GET /metrics'
          ? [{ metricsToken: [] }, { adminToken: [] }]
          : route === 'GET /v1/personalize'
            ? [{ publishableKey: [] }]
            : [{ adminToken: [] }];
      expect(operation.security, route).toEqual(expected);
      expect(Object.keys(operation.responses), route).toContain('401');
    }
  });
});
