/** The cookie's value, URI-decoded; undefined when there is none. `name` is one of ours: no regex characters. */
export function readCookie(name: string): string | undefined {
  const match = document.cookie.match(`(?:^|; )${name}=([^;]*)`);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/**
 * Writes a first-party cookie for a year; an undefined value removes it. `domain`, e.g.
 * `example.com`, lets every subdomain share it; the current host when absent.
 */
export function writeCookie(name: string, value: string | undefined, domain: string | undefined): void {
  const maxAge = value === undefined ? 0 : 31_536_000;
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and missing in Safari and Firefox before 2025.
  document.cookie =
    `${name}=${encodeURIComponent(value ?? '')}; path=/; max-age=${maxAge}; SameSite=Lax` +
    (domain ? `; domain=${domain}` : '') +
    (location.protocol === 'https:' ? '; Secure' : '');
}
