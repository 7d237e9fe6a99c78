/**
 * The write key as Segment's libraries send it: the HTTP Basic user name (password empty).
 * Answers undefined when the request carries no Basic credentials, so the body may supply one.
 */
export function writeKeyFromBasicAuth(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, encoded] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

/** sendBeacon cannot set headers, so analytics.js puts the key in the body instead. */
export function writeKeyFromBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const key = (body as { writeKey?: unknown }).writeKey;
  return typeof key === 'string' && key !== '' ? key : undefined;
}
