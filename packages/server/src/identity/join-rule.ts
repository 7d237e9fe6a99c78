import type { WriteKeyKind } from '../auth/secrets.js';
import type { IdentityEvent } from './read-identity-event.js';

/** The identifier types events of one kind of write key may join contacts on: all, or a list. */
export type JoinTypes = 'all' | readonly string[];

/**
 * Leaves out of resolution the identifiers an event's write key may not join contacts on: they are
 * neither looked up (so the event cannot attach to, or merge, the contact holding one) nor added to
 * the event's contact. A `client` key is public (it ships in a web page), so anyone can send an
 * identify pairing their own anonymousId with someone else's email; where the rules restrict client
 * keys to, say, anonymous_id and user_id, such an event stays on its own contact. The values stay
 * in the event and its traits. An alias joins two ids of the person: it goes through only when both
 * user_id and anonymous_id may be joined on (its previousId may be either).
 */
export function restrictToJoinable(
  event: IdentityEvent,
  joinOn: Readonly<Record<WriteKeyKind, JoinTypes>>,
  writeKeyKind: WriteKeyKind,
): { readonly event: IdentityEvent; readonly leftOut: number } {
  const allowed = joinOn[writeKeyKind];
  if (allowed === 'all') return { event, leftOut: 0 };
  const identifiers = event.identifiers.filter((identifier) => allowed.includes(identifier.type));
  const isAliasAllowed = allowed.includes('user_id') && allowed.includes('anonymous_id');
  const { alias, ...rest } = event;
  const leftOut = event.identifiers.length - identifiers.length + (alias && !isAliasAllowed ? 1 : 0);
  return { event: { ...rest, identifiers, ...(alias && isAliasAllowed ? { alias } : {}) }, leftOut };
}
