const isoDatePrefix = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}))?/i;
/** A date and time with no `Z` or `±hh:mm`: Date.parse would read it in the server's time zone. */
const withoutOffset = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/i;

export type ParsedTimestamp =
  | {
      readonly ok: true;
      readonly ms: number | undefined;
      /** The value as sent, with `Z` added when it had no offset: what it means, for whoever reads it later. */
      readonly text: string | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads an optional ISO-8601 date string. Date.parse alone accepts prose such as "March 7", and
 * rolls a day past the month's end into the next month (Feb 30 became Mar 2); requiring the ISO
 * date prefix and a real calendar day keeps what we store what the client meant. A time without an
 * offset is read as UTC, so that the stored time does not depend on where the server runs.
 */
export function parseTimestamp(value: unknown): ParsedTimestamp {
  if (value === undefined || value === null) return { ok: true, ms: undefined, text: undefined };
  const prefix = typeof value === 'string' ? isoDatePrefix.exec(value) : null;
  if (typeof value !== 'string' || !prefix) return { ok: false, reason: 'must be an ISO-8601 date string' };
  const [, year, month, day, hour] = prefix.map(Number);
  if (!isCalendarDay(year as number, month as number, day as number)) {
    return { ok: false, reason: `holds ${value.slice(0, 10)}, which is not a day of the calendar` };
  }
  if (hour !== undefined && !Number.isNaN(hour) && hour > 23) {
    return { ok: false, reason: `holds hour ${hour}; hours run from 00 to 23` };
  }
  const local = withoutOffset.exec(value);
  const text = local ? `${local[1]}T${local[2]}Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? { ok: false, reason: 'must be an ISO-8601 date string' } : { ok: true, ms, text };
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (isLeap ? 29 : 28) : (daysInMonth[month - 1] ?? 0));
}
