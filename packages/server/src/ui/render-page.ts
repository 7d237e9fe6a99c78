import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type NoticeKey, noticeText } from './notices.js';

type Rendered = HtmlEscapedString | Promise<HtmlEscapedString> | { toString(): string | Promise<string> };

/** A whole page, with its doctype, as the answer. */
export async function renderPage(c: Context, page: Rendered, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

/** Where a form goes after it has done its work: back to a page, with a line saying what was done. */
export function redirectDone(c: Context, path: string, notice: NoticeKey): Response {
  const url = new URL(path, 'http://ui.invalid');
  url.searchParams.set('done', notice);
  return c.redirect(url.pathname + url.search + url.hash, 303);
}

/** The confirmation a page shows after redirectDone. */
export function noticeOf(c: Context): string | undefined {
  return noticeText(c.req.query('done'));
}
