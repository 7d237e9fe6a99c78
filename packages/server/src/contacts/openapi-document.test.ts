import { describe, expect, it } from 'vitest';
import { createContactsTestApp } from './contact-test-kit.js';

describe('GET /openapi.json', () => {
  it('describes the contacts and companies routes with the admin token as bearer auth', async () => {
    const t = createContactsTestApp();
    const response = await t.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe('3.1.0');
    // That every served route is described is http/openapi-document.test.ts's job; here, what the
    // contacts and companies routes must say about themselves.
    const operations = Object.entries(
      document.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method} ${path}`, operation })),
    );
    const adminOperations = operations.filter(({ route }) => /^\w+ \/v1\/(contacts|companies)/.test(route));
    expect(adminOperations.map((o) => o.route)).toEqual(
      expect.arrayContaining([
        'get /v1/companies',
        'get /v1/companies/{groupId}',
        'get /v1/contacts',
        'get /v1/contacts/{ref}',
        'get /v1/contacts/{ref}/events',
        'get /v1/contacts/{ref}/notes',
        'patch /v1/contacts/{ref}',
        'post /v1/contacts',
        'post /v1/contacts/search',
        'post /v1/contacts/{ref}/notes',
      ]),
    );
    for (const { route, operation } of adminOperations) {
      expect(operation.security, route).toEqual([{ adminToken: [] }]);
      expect(Object.keys(operation.responses as object), route).toContain('401');
    }
    expect(Object.keys(document.paths['/v1/contacts'].post.responses)).toEqual(expect.arrayContaining(['201', '409']));
    expect(document.paths['/v1/contacts/{ref}'].patch.requestBody.required).toBe(true);
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const listParameters = document.paths['/v1/contacts'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParameters.sort()).toEqual(['cursor', 'limit', 'q', 'sort']);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Contact',
        'Error',
        'ContactPatch',
        'NewContact',
        'ContactExists',
        'Note',
        'Company',
        'CompanyDetail',
        'ContactSearch',
        'ContactSearchPage',
      ]),
    );
  });
});
