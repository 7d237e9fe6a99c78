import type { PersonalizePolicy, PublishableKey } from './publishable-key.js';
import type { TicketCodec } from './stream-ticket.js';

/** What a personalization answer is built from: one contact, read for one identifier. */
export interface VisitorProfile {
  /** The live contact (merges followed). */
  readonly contactId: string;
  /** It holds an identifier other than an anonymousId (a userId, an email, a phone…): never answered on an anonymousId. */
  readonly isKnown: boolean;
  /** Its userIds: a proven userId is answered only from a contact holding that one alone. */
  readonly userIds: readonly string[];
  /** One of its identifiers is suppressed: answered as an empty profile. */
  readonly isSuppressed: boolean;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly computed: Readonly<Record<string, unknown>>;
  readonly audiences: readonly { readonly id: string; readonly name: string }[];
}

export type VisitorIdentifierType = 'user_id' | 'anonymous_id';

export interface PublishableKeyStore {
  create(name: string, policy: PersonalizePolicy): Promise<PublishableKey>;
  list(): Promise<PublishableKey[]>;
  get(id: string): Promise<PublishableKey | undefined>;
  /** The key's new name and policy; undefined when there is no such key. */
  update(id: string, change: { name?: string; policy?: PersonalizePolicy }): Promise<PublishableKey | undefined>;
  revoke(id: string): Promise<boolean>;
  /** The key, unrevoked, for the `pk_…` a request gave. */
  findActive(key: string): Promise<PublishableKey | undefined>;
}

/** Publishable keys, and the reads `GET /v1/personalize` makes (storage/sqlite/personalize/). */
export interface PersonalizeStore {
  readonly keys: PublishableKeyStore;
  /** Signs and reads stream tickets, under a key the store keeps. */
  readonly tickets: TicketCodec;
  /** The contact that holds this identifier now, or undefined. */
  visitor(type: VisitorIdentifierType, value: string): Promise<VisitorProfile | undefined>;
  /** The same, for a contact id a stream follows (`ct_…`, merges followed). */
  visitorByContactId(contactId: string): Promise<VisitorProfile | undefined>;
}
