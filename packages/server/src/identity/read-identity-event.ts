import { blockedReason, type Identifier, type IdentityRules } from './identity-rules.js';

type Fields = Record<string, unknown>;

/** What the resolver needs from one stored event. */
export interface IdentityEvent {
  readonly messageId: string;
  readonly type: string;
  /** Skew-corrected event time, epoch ms. */
  readonly timestamp: number;
  /** The event's identifiers, valid ones only, most trusted first. */
  readonly identifiers: Identifier[];
  /** Values refused as identifiers, for the metrics. */
  readonly blocked: number;
  /** For alias: the id the user was known by, and the new userId. */
  readonly alias?: { readonly previousId: string; readonly userId: string };
  /** For identify: the traits it sets. */
  readonly traits?: Fields;
  /** For group: the company and its traits. */
  readonly group?: { readonly groupId: string; readonly traits: Fields };
}

/** Reads identifiers from a normalized event body (pure): the rules of docs/identity.md. */
export function readIdentityEvent(body: Fields, rules: IdentityRules): IdentityEvent {
  const found: Identifier[] = [];
  let blocked = 0;
  const add = (type: string, raw: unknown, normalize: (value: string) => string = (value) => value) => {
    if (typeof raw !== 'string' && typeof raw !== 'number') return;
    const value = normalize(String(raw));
    if (blockedReason(value, rules) !== undefined) blocked++;
    else if (!found.some((known) => known.type === type && known.value === value)) found.push({ type, value });
  };
  const type = String(body.type);
  const context = asFields(body.context);
  add('user_id', body.userId);
  add('anonymous_id', body.anonymousId);
  // A group call's traits describe the company, never the person.
  if (type === 'identify') add('email', asFields(body.traits).email, normalizeEmail);
  add('email', asFields(context.traits).email, normalizeEmail);
  for (const external of Array.isArray(context.externalIds) ? context.externalIds : []) {
    const { id, type: externalType } = asFields(external);
    if (typeof externalType === 'string' && externalType.trim() !== '') add(normalizeType(externalType), id);
  }
  return {
    messageId: String(body.messageId),
    type,
    timestamp: Date.parse(String(body.timestamp)),
    identifiers: found,
    blocked,
    ...aliasOf(body, type, rules),
    ...(type === 'identify' ? { traits: asFields(body.traits) } : {}),
    ...(type === 'group' && isUsable(body.groupId, rules)
      ? { group: { groupId: String(body.groupId), traits: asFields(body.traits) } }
      : {}),
  };
}

function aliasOf(body: Fields, type: string, rules: IdentityRules): Pick<IdentityEvent, 'alias'> {
  if (type !== 'alias' || !isUsable(body.previousId, rules) || !isUsable(body.userId, rules)) return {};
  return { alias: { previousId: String(body.previousId), userId: String(body.userId) } };
}

function isUsable(value: unknown, rules: IdentityRules): boolean {
  return (typeof value === 'string' || typeof value === 'number') && blockedReason(String(value), rules) === undefined;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** `user_id` and `userId` name the same type; external types are snake_cased lower-case. */
function normalizeType(type: string): string {
  return type
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function asFields(value: unknown): Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}
