const isoDatePrefix = /^\d{4}-\d{2}-\d{2}/;
/** A date and time with no `Z` or `±hh:mm`: Date.parse would read it in the server's time zone. */
const withoutOffset = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/i;

export type ParsedTimestamp =
  | {
      readonly ok: true;
      readonly ms: number | undefined;
      /** The value as sent, with `Z` added when it had no offset: what it means, for whoever reads it later. */
      readonly text: string | undefined;
    }
  | { readonly ok: false };

/**
 * Reads an optional ISO-8601 date string. Date.parse alone accepts prose such as "March 7";
 * requiring the ISO date prefix keeps what we store comparable across clients. A time without an
 * offset is read as UTC, so that the stored time does not depend on where the server runs.
 */
export function parseTimestamp(value: unknown): ParsedTimestamp {
  if (value === undefined || value === null) return { ok: true, ms: undefined, text: undefined };
  if (typeof value !== 'string' || !isoDatePrefix.test(value)) return { ok: false };
  const local = withoutOffset.exec(value);
  const text = local ? `${local[1]}T${local[2]}Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? { ok: false } : { ok: true, ms, text };
}
