import { createHash } from 'node:crypto';
import type { VisitorIdentifierType, VisitorProfile } from './personalize-store.js';
import type { PersonalizePolicy } from './publishable-key.js';

/** Who a personalization request may be answered about. */
export interface VisitorLookup {
  readonly type: VisitorIdentifierType;
  readonly value: string;
  /**
   * True only for a userId proven by an identity token, whose contact is answered only while that
   * userId is its only one. An anonymousId proves nothing (anyone can send any), so a contact found
   * through one is answered only while it holds no identifier but anonymousIds and no email: a
   * known person's profile is never answered on an anonymousId.
   */
  readonly isProven: boolean;
}

export interface PersonalizeAnswer {
  readonly audiences: readonly { readonly id: string; readonly name: string }[];
  readonly traits: Readonly<Record<string, unknown>>;
  readonly computed: Readonly<Record<string, unknown>>;
}

export const EMPTY_ANSWER: PersonalizeAnswer = { audiences: [], traits: {}, computed: {} };

/**
 * Whom to look up: the userId of a valid identity token, else the anonymousId. A userId without a
 * token is ignored, as an anonymousId would be were it the only thing given.
 */
export function visitorLookup(request: {
  readonly anonymousId?: string | undefined;
  readonly provenUserId?: string | undefined;
}): VisitorLookup | undefined {
  if (request.provenUserId !== undefined) return { type: 'user_id', value: request.provenUserId, isProven: true };
  if (request.anonymousId !== undefined) return { type: 'anonymous_id', value: request.anonymousId, isProven: false };
  return undefined;
}

/** The answer a key's policy allows about this visitor; the empty one whenever it may not say more. */
export function answerFor(
  profile: VisitorProfile | undefined,
  lookup: VisitorLookup | undefined,
  policy: PersonalizePolicy,
): PersonalizeAnswer {
  if (!profile || !lookup || profile.isSuppressed) return EMPTY_ANSWER;
  if (profile.isKnown && !lookup.isProven) return EMPTY_ANSWER;
  // A client write key can add a userId to someone else's contact (an alias, say): the token
  // proves its userId, not that the contact is theirs alone.
  if (lookup.isProven && (profile.userIds.length !== 1 || profile.userIds[0] !== lookup.value)) return EMPTY_ANSWER;
  const allowedAudiences = new Set(policy.audiences);
  return {
    audiences: profile.audiences
      .filter((audience) => allowedAudiences.has(audience.id))
      .map(({ id, name }) => ({ id, name })),
    traits: pick(profile.traits, policy.traits),
    computed: pick(profile.computed, policy.computedTraits),
  };
}

function pick(values: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    if (Object.hasOwn(values, name) && values[name] !== undefined) picked[name] = values[name];
  }
  return picked;
}

/** A strong ETag of the answer's JSON: the same answer, the same tag, whichever server made it. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}
