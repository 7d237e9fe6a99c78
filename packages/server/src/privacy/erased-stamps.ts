/** A company trait's stamp: when it was set, and by which event's messageId. */
type Stamp = [number, string];

/**
 * What a company's trait stamps become when people are erased: a company stays, but a stamp that
 * names a group call of theirs names it no more ("erased"). Undefined when no stamp changes.
 */
export function stampsWithoutErased(stampsJson: string, erasedMessageIds: ReadonlySet<string>): string | undefined {
  const stamps = JSON.parse(stampsJson) as Record<string, Stamp>;
  let changed = false;
  for (const stamp of Object.values(stamps)) {
    if (erasedMessageIds.has(stamp[1])) {
      stamp[1] = 'erased';
      changed = true;
    }
  }
  return changed ? JSON.stringify(stamps) : undefined;
}
