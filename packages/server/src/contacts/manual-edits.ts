import type { StampedValues } from '../identity/stamped-values.js';

/**
 * A person's edit takes effect when made: each trait is stamped with the edit time, or just after
 * the trait's current stamp when that is later (an event timestamped a few minutes ahead, within
 * ingest's future tolerance). Only an event timestamped later still overrides the edit.
 */
export function stampEdit(
  traits: Record<string, unknown>,
  current: StampedValues,
  editedAt: number,
  messageId: string,
): StampedValues {
  const stamped: StampedValues = {};
  for (const [key, value] of Object.entries(traits)) {
    const currentAt = current[key]?.stamp.at;
    const at = currentAt !== undefined && currentAt >= editedAt ? currentAt + 1 : editedAt;
    stamped[key] = { value, stamp: { at, messageId } };
  }
  return stamped;
}

/**
 * Zero-padded so that string order is edit order: two edits in one millisecond tie on time, and
 * the tie goes to the larger messageId.
 */
export function manualMessageId(editId: number): string {
  return `manual:${String(editId).padStart(12, '0')}`;
}

/** The edit id a `manual:<n>` messageId names (manualMessageId's inverse); undefined for any other. */
export function manualEditIdOf(messageId: string): number | undefined {
  const match = /^manual:(\d{12,})$/.exec(messageId);
  return match ? Number(match[1]) : undefined;
}

/** For each trait whose current value an edit's stamp names, that edit's id. */
export function editsStamping(traits: StampedValues): Map<string, number> {
  const editOf = new Map<string, number>();
  for (const [key, { stamp }] of Object.entries(traits)) {
    const editId = manualEditIdOf(stamp.messageId);
    if (editId !== undefined) editOf.set(key, editId);
  }
  return editOf;
}

/**
 * The traits, in name order, whose stamping edit did set them (`changesOf`: each edit's stored
 * changes, JSON): an event's messageId that merely looks like an edit's does not count.
 */
export function traitsEditedBy(editOf: ReadonlyMap<string, number>, changesOf: ReadonlyMap<number, string>): string[] {
  const traitsSetBy = new Map(
    [...changesOf].map(([id, changes]) => [
      id,
      (JSON.parse(changes) as { traits?: Record<string, unknown> }).traits ?? {},
    ]),
  );
  return [...editOf]
    .filter(([key, editId]) => Object.hasOwn(traitsSetBy.get(editId) ?? {}, key))
    .map(([key]) => key)
    .sort();
}
