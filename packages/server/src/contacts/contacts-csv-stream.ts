import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { SearchBody } from './contact-search-spec.js';
import type { ContactSearch } from './contact-store.js';
import type { ColumnCheck } from './csv-export.js';

/**
 * Every contact a search matches, as a CSV answer streamed a page at a time (the API's export and
 * the UI's). The first page is read before the answer starts, so that a bad filter is still a 400;
 * a later page that fails cuts the answer off.
 */
export async function streamContactsCsv(
  c: Context,
  search: ContactSearch,
  body: SearchBody,
  columns: Extract<ColumnCheck, { ok: true }>,
): Promise<Response> {
  const first = await search.search(body);
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', 'attachment; filename="contacts.csv"');
  c.header('Cache-Control', 'no-store');
  return stream(
    c,
    async (out) => {
      await out.write(stringify([columns.columns]));
      let page = first;
      for (;;) {
        if (page.data.length > 0) await out.write(stringify(page.data.map(columns.read)));
        if (!page.nextCursor || out.aborted) break;
        page = await search.search({ ...body, cursor: page.nextCursor });
      }
    },
    // A page that fails after the 200 has gone cuts the answer off (no last chunk), so that the
    // client sees a failed download, never a shorter file that looks whole.
    async (error, out) => {
      await out.writer.abort(error).catch(() => undefined);
    },
  );
}
