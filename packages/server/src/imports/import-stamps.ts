import type { StampedValues } from '../identity/stamped-values.js';
import type { ImportMode } from './import-rows.js';

/**
 * An imported row's traits, stamped with the row's time (its timestamp column, else the import's
 * start) so that the newest-wins rule every trait follows (stamped-values.ts) decides: an old list
 * cannot overwrite a value an event or a person set later. With `fillEmpty`, a trait that already
 * has a value is left out, whatever its stamp.
 */
export function stampImport(
  traits: Readonly<Record<string, unknown>>,
  current: StampedValues,
  at: number,
  messageId: string,
  mode: ImportMode,
): StampedValues {
  const stamped: StampedValues = {};
  for (const [key, value] of Object.entries(traits)) {
    const present = current[key]?.value;
    if (mode === 'fillEmpty' && present !== undefined && present !== null && present !== '') continue;
    stamped[key] = { value, stamp: { at, messageId } };
  }
  return stamped;
}

/** Zero-padded, so that two rows of one import stamped the same millisecond tie-break by line. */
export function importMessageId(importId: string, line: number): string {
  return `import:${importId}:${String(line).padStart(9, '0')}`;
}
