import { propertyAt } from './event-metric.js';

/** What a trait leaf may read of a contact: its row's fields and its traits. */
export interface ContactSnapshot {
  readonly profileId: number;
  readonly contactId: string;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly fields: Readonly<Record<ContactField, unknown>>;
}

/** The contact fields a trait leaf names directly; times as epoch milliseconds. */
export const contactFields = [
  'email',
  'name',
  'lifecycleStage',
  'owner',
  'tags',
  'firstSeenAt',
  'lastSeenAt',
  'eventCount',
  'createdAt',
] as const;
export type ContactField = (typeof contactFields)[number];

/** Fields that change on every event: a leaf on them is evaluated again on each of the contact's events. */
export const activityFields: readonly ContactField[] = ['lastSeenAt', 'eventCount'];

/**
 * The value a trait leaf names: a contact field (`email`, `lastSeenAt`, …), `traits.<path>`, or a bare
 * trait path (`plan`, `address.city`) for a name that is not a field. Computed traits are not kept
 * yet: `computed.<name>` reads nothing.
 */
export function contactValue(contact: ContactSnapshot, name: string): unknown {
  if ((contactFields as readonly string[]).includes(name)) return contact.fields[name as ContactField];
  if (name.startsWith('computed.')) return undefined;
  const path = name.startsWith('traits.') ? name.slice('traits.'.length) : name;
  return propertyAt(contact.traits, path);
}
