import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

const xss = '<img src=x onerror=alert(1)>';

async function seeded() {
  const harness = await openUiTestApp();
  const sent = await harness.post('/v1/batch', {
    batch: [
      {
        type: 'identify',
        userId: 'u1',
        traits: { email: 'ada@example.com', name: 'Ada' },
        timestamp: '2026-02-01T00:00:00Z',
      },
      {
        type: 'group',
        userId: 'u1',
        groupId: 'acme',
        traits: { name: 'Acme', motto: xss },
        timestamp: '2026-02-02T00:00:00Z',
      },
      { type: 'group', userId: 'u2', groupId: 'globex', traits: { name: 'Globex' }, timestamp: '2026-02-03T00:00:00Z' },
      { type: 'group', userId: 'u3', groupId: 'initech', timestamp: '2026-02-01T12:00:00Z' },
    ],
  });
  expect(sent.status).toBe(200);
  return { harness, client: await harness.loginAs('viewer') };
}

const companyLinks = (html: string) => [...html.matchAll(/href="\/ui\/companies\/([^"?]+)"/g)].map((match) => match[1]);

describe('companies pages', () => {
  it('lists companies newest first, or by group id, a page at a time', async () => {
    const { client } = await seeded();
    const page = await client.get('/ui/companies');
    expect(page.status).toBe(200);
    expect(companyLinks(await page.text())).toEqual(['globex', 'acme', 'initech']);
    const byId = await (await client.get('/ui/companies?sort=groupId')).text();
    expect(companyLinks(byId)).toEqual(['acme', 'globex', 'initech']);
  });

  it('pages with a cursor, and says a cursor from another sort is not one it can use', async () => {
    const { harness, client } = await seeded();
    const api = await harness.app.request('/v1/companies?sort=groupId&limit=1', {
      headers: { Authorization: `Bearer ${await harness.createSecret('admin_token')}` },
    });
    const { nextCursor } = (await api.json()) as { nextCursor: string };
    const next = await (await client.get(`/ui/companies?sort=groupId&cursor=${encodeURIComponent(nextCursor)}`)).text();
    expect(companyLinks(next)).toEqual(['globex', 'initech']);
    expect(next).toContain('First page');
    const wrongSort = await client.get(`/ui/companies?cursor=${encodeURIComponent(nextCursor)}`);
    expect(wrongSort.status).toBe(400);
    expect(visibleText(await wrongSort.text())).toContain('not a cursor this server issued');
  });

  it('shows a company’s traits, escaped, and its contacts linking to their pages', async () => {
    const { harness, client } = await seeded();
    const page = await client.get('/ui/companies/acme');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain(xss);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const ada = await harness.store.contacts.queries.profileByIdentifier('email', 'ada@example.com');
    expect(html).toContain(`<a href="/ui/contacts/${ada?.public_id}">Ada</a>`);
    expect(visibleText(html)).toContain('1 contact.');
    expect((await client.get('/ui/companies/nobody')).status).toBe(404);
  });
});
