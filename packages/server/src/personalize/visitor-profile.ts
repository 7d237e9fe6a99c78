import type { Identifier } from '../identity/identity-rules.js';
import type { VisitorProfile } from './personalize-store.js';

/** What a visitor's answer is drawn from, as a store reads it for the live contact. */
export interface VisitorRead {
  readonly contactId: string;
  /** Its displayed email ('' or null when none). */
  readonly contactEmail: string | null;
  /** Its traits as JSON text. */
  readonly traits: string;
  readonly identifiers: readonly Identifier[];
  /** Whether one of them is suppressed (privacy/). */
  readonly isSuppressed: (identifiers: readonly Identifier[]) => boolean;
  readonly computed: Readonly<Record<string, unknown>>;
  readonly audiences: readonly { readonly id: string; readonly name: string }[];
}

/** The rules of a visitor profile, the same on every engine. */
export function toVisitorProfile(read: VisitorRead): VisitorProfile {
  return {
    contactId: read.contactId,
    // Any identifier but an anonymousId (a userId, an email, a phone, a CRM id) names a person.
    isKnown: (read.contactEmail ?? '') !== '' || read.identifiers.some(({ type }) => type !== 'anonymous_id'),
    userIds: read.identifiers.filter(({ type }) => type === 'user_id').map(({ value }) => value),
    isSuppressed: read.isSuppressed(read.identifiers),
    traits: JSON.parse(read.traits) as Record<string, unknown>,
    computed: read.computed,
    audiences: read.audiences,
  };
}
