/** How the UI writes times and values: one place, so every page reads the same. */

export function formatTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A trait's value as text: strings as they are, anything else as JSON. Escaping is JSX's job. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
