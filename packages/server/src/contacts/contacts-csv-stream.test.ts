import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { SearchPage } from './contact-search-spec.js';
import type { ContactSearch } from './contact-store.js';
import { streamContactsCsv } from './contacts-csv-stream.js';
import { exportColumns } from './csv-export.js';

const contact = (id: string) =>
  ({
    id,
    email: `${id}@x.io`,
    name: null,
    companies: [],
    tags: [],
    traits: {},
  }) as unknown as SearchPage['data'][number];

function exportWith(search: ContactSearch) {
  const app = new Hono();
  const columns = exportColumns('id,email');
  if (!columns.ok) throw new Error(columns.message);
  app.get('/export.csv', (c) => streamContactsCsv(c, search, { filters: [], sort: 'email', limit: 1 }, columns));
  return app.request('/export.csv');
}

describe('a streamed CSV export', () => {
  it('writes every page, the header first', async () => {
    const pages: SearchPage[] = [
      { data: [contact('a')], nextCursor: 'c1', total: { value: 2, isEstimate: false } },
      { data: [contact('b')], nextCursor: null, total: { value: 2, isEstimate: false } },
    ];
    const answer = await exportWith({ search: async () => pages.shift() as SearchPage });
    expect(await answer.text()).toBe('id,email\na,a@x.io\nb,b@x.io\n');
  });

  it('cuts the answer off when a later page fails, rather than end a shorter file as if whole', async () => {
    let calls = 0;
    const answer = await exportWith({
      search: async () => {
        calls += 1;
        if (calls > 1) throw new Error('the database went away');
        return { data: [contact('a')], nextCursor: 'c1', total: { value: 2, isEstimate: false } };
      },
    });
    expect(answer.status).toBe(200);
    await expect(answer.text()).rejects.toThrow();
  });
});
