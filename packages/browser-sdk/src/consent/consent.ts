/** Consent by category, e.g. `{analytics: true, marketing: false}`. */
export type ConsentState = Record<string, boolean>;

/** True when every category is granted. */
export function isGranted(state: ConsentState, categories: string[]): boolean {
  return categories.every((category) => state[category] === true);
}

/** Categories granted before and not after. */
export function revokedCategories(before: ConsentState, after: ConsentState): string[] {
  return Object.keys(before).filter((category) => before[category] === true && after[category] !== true);
}

/** The categories an event needed, as stamped in its `context.consent` when it was queued (JSON we wrote). */
export function categoriesOf(eventJson: string): string[] {
  return (
    (JSON.parse(eventJson) as { context: { consent?: { categories: string[] } } }).context.consent?.categories ?? []
  );
}
