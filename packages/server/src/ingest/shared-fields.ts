type Fields = Record<string, unknown>;

/**
 * A batch-level `context` or `integrations`, measured once per request. Each event merges it
 * (`{...shared, ...own}`), so an event's size and depth as stored depend on it; with the sizes
 * of its top-level entries known, an event pays only for its own keys, never for the whole
 * shared object again (a 200 KB context times 8,000 events must not cost 1.6 GB of work).
 */
export interface SharedFields {
  readonly value: Fields;
  /** UTF-8 bytes of `"key":value`, and nesting levels of the value (a scalar is 0), per entry. */
  readonly entries: ReadonlyMap<string, { readonly bytes: number; readonly depth: number }>;
  readonly totalBytes: number;
  /** Entry keys, deepest first: the first one an event keeps gives the merged depth. */
  readonly keysByDepth: readonly string[];
}

/** Call only on a tree already checked by sanitizeTree, so that the recursion is bounded. */
export function measureShared(value: Fields): SharedFields {
  const entries = new Map<string, { bytes: number; depth: number }>();
  let totalBytes = 0;
  for (const [key, child] of Object.entries(value)) {
    const bytes = Buffer.byteLength(`${JSON.stringify(key)}:${JSON.stringify(child)}`, 'utf8');
    entries.set(key, { bytes, depth: treeDepth(child) });
    totalBytes += bytes;
  }
  const keysByDepth = [...entries.keys()].sort((a, b) => (entries.get(b)?.depth ?? 0) - (entries.get(a)?.depth ?? 0));
  return { value, entries, totalBytes, keysByDepth };
}

/** Bytes the shared entries an event does not override add to it: a lower bound of its growth. */
export function keptBytes(shared: SharedFields, own: Fields | undefined): number {
  let bytes = shared.totalBytes;
  if (own) for (const key of Object.keys(own)) bytes -= shared.entries.get(key)?.bytes ?? 0;
  return bytes;
}

/** Nesting levels of the deepest shared entry the event keeps (0 when it keeps none or only scalars). */
export function keptDepth(shared: SharedFields, own: Fields | undefined): number {
  for (const key of shared.keysByDepth) {
    if (own === undefined || !Object.hasOwn(own, key)) return shared.entries.get(key)?.depth ?? 0;
  }
  return 0;
}

/** The object stored in the event: shared entries first, the event's own winning. */
export function mergeShared(shared: SharedFields | undefined, own: Fields | undefined): Fields | undefined {
  if (!shared) return own;
  return { ...shared.value, ...own };
}

export function treeDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const depth = treeDepth(child);
    if (depth > deepest) deepest = depth;
  }
  return deepest + 1;
}
