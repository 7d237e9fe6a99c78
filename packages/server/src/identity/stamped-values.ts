/**
 * Traits that remember which event set them: the newest event timestamp wins, ties broken by the
 * larger messageId, so the result does not depend on the order events arrive in.
 */
export interface Stamp {
  readonly at: number;
  readonly messageId: string;
}

export type StampedValues = Record<string, { value: unknown; stamp: Stamp }>;

export function isNewer(candidate: Stamp, current: Stamp | undefined): boolean {
  if (!current) return true;
  if (candidate.at !== current.at) return candidate.at > current.at;
  return candidate.messageId > current.messageId;
}

/** Sets each value whose stamp beats the one already there. Mutates and returns `target`. */
export function mergeStamped(target: StampedValues, incoming: StampedValues): StampedValues {
  for (const [key, entry] of Object.entries(incoming)) {
    // Ingest strips these already; a trait named so must never reach a prototype.
    if (key === '__proto__') continue;
    if (isNewer(entry.stamp, target[key]?.stamp)) target[key] = entry;
  }
  return target;
}

export function stampAll(values: Record<string, unknown>, stamp: Stamp): StampedValues {
  const stamped: StampedValues = {};
  for (const [key, value] of Object.entries(values)) stamped[key] = { value, stamp };
  return stamped;
}

/** The plain values, as a contact shows them. */
export function valuesOf(stamped: StampedValues): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(stamped)) values[key] = entry.value;
  return values;
}

/** How SQLite keeps them: plain values in one JSON column, `[timestamp, messageId]` per key in another. */
type StampColumns = Record<string, [number, string]>;

export function readStamped(valuesJson: string, stampsJson: string): StampedValues {
  const values = JSON.parse(valuesJson) as Record<string, unknown>;
  const stamps = JSON.parse(stampsJson) as StampColumns;
  const stamped: StampedValues = {};
  for (const [key, [at, messageId]] of Object.entries(stamps)) {
    stamped[key] = { value: values[key] ?? null, stamp: { at, messageId } };
  }
  return stamped;
}

export function writeStamped(stamped: StampedValues): { values: string; stamps: string } {
  const values: Record<string, unknown> = {};
  const stamps: StampColumns = {};
  for (const [key, entry] of Object.entries(stamped)) {
    values[key] = entry.value;
    stamps[key] = [entry.stamp.at, entry.stamp.messageId];
  }
  return { values: JSON.stringify(values), stamps: JSON.stringify(stamps) };
}
