import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import type { SearchBody, SearchPage } from './contact-search-spec.js';
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
  const encoder = new TextEncoder();
  let isHeaderSent = false;
  let page: SearchPage | undefined = first;
  // Pulled a page at a time as the client reads (a client gone stops it). A page that fails after
  // the 200 has gone errors the body, which cuts the answer off (no last chunk): the client sees a
  // failed download, never a shorter file that looks whole.
  const csv = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!isHeaderSent) {
        isHeaderSent = true;
        controller.enqueue(encoder.encode(stringify([columns.columns])));
        return;
      }
      if (!page) {
        controller.close();
        return;
      }
      try {
        if (page.data.length > 0) controller.enqueue(encoder.encode(stringify(page.data.map(columns.read))));
        page = page.nextCursor ? await search.search({ ...body, cursor: page.nextCursor }) : undefined;
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return c.body(csv);
}
