/**
 * Whether a request that changes something came from a page of this server (CSRF's first line,
 * before the token). Browsers send Origin on every POST; where one is missing, Sec-Fetch-Site says
 * the same. Behind a TLS proxy the request's own URL is http:// while the page is https://, so the
 * public URL's origin counts too.
 */
export function isSameOrigin(request: {
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
  readonly requestUrl: string;
  readonly publicUrl: string;
}): boolean {
  if (request.origin === undefined) return request.secFetchSite === 'same-origin';
  if (request.origin === 'null') return false;
  return request.origin === new URL(request.requestUrl).origin || request.origin === new URL(request.publicUrl).origin;
}
