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

/**
 * The value a trait leaf names: a contact field (`email`, `lastSeenAt`, …), `traits.<path>`, a bare
 * trait path (`plan`, `address.city`) for a name that is not a field, or `computed.<name>`, which
 * `computed` answers (the audience record keeps computed values, not the contact's row).
 */
export function contactValue(
  contact: ContactSnapshot,
  name: string,
  computed: (name: string) => unknown = () => undefined,
): unknown {
  if (name.startsWith('computed.')) return computed(name.slice('computed.'.length));
  const reader = readerOf(name);
  return reader === undefined ? undefined : reader(contact);
}

type Reader = (contact: ContactSnapshot) => unknown;
/** Names as leaves give them → how to read them: worked out once per name, not per evaluation. */
const readers = new Map<string, Reader | undefined>();

function readerOf(name: string): Reader | undefined {
  if (readers.has(name)) return readers.get(name);
  let reader: Reader | undefined;
  if ((contactFields as readonly string[]).includes(name)) reader = (contact) => contact.fields[name as ContactField];
  else {
    const path = name.startsWith('traits.') ? name.slice('traits.'.length) : name;
    reader = path.includes('.')
      ? (contact) => propertyAt(contact.traits, path)
      : (contact) => ownValue(contact.traits, path);
  }
  // Names come from saved definitions: a bounded set, but a bound keeps a long-lived server safe.
  if (readers.size > 10_000) readers.clear();
  readers.set(name, reader);
  return reader;
}

function ownValue(traits: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(traits, key) ? traits[key] : undefined;
}
