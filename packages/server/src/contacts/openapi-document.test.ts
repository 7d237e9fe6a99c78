import { describe, expect, it } from 'vitest';
import { createContactsTestApp } from './contact-test-kit.js';

describe('GET /openapi.json', () => {
  it('describes every contacts route in OpenAPI 3.1, with the admin token as bearer auth', async () => {
    const t = createContactsTestApp();
    const response = await t.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/contacts',
      '/v1/contacts/{ref}',
      '/v1/contacts/{ref}/events',
    ]);
    for (const path of Object.values(document.paths) as { get: Record<string, unknown> }[]) {
      expect(path.get.security).toEqual([{ adminToken: [] }]);
      expect(Object.keys(path.get.responses as object)).toEqual(expect.arrayContaining(['200', '400', '401']));
    }
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const listParameters = document.paths['/v1/contacts'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParameters.sort()).toEqual(['cursor', 'limit', 'q', 'sort']);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Contact', 'Error']));
  });
});
