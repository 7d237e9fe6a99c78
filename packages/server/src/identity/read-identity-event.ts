import { identifierTextProblem } from './identifier-text.js';
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

/** Where one identifier of an event comes from: its field (for messages), its type and raw value. */
export interface IdentifierSource {
  readonly field: string;
  readonly type: string;
  readonly raw: unknown;
}

/**
 * The fields of an event that identify its person, in the order the resolver reads them: the one
 * list both the resolver and ingest's identifier checks (identifierProblem) follow.
 */
export function identifierSources(body: Fields): IdentifierSource[] {
  const sources: IdentifierSource[] = [
    { field: 'userId', type: 'user_id', raw: body.userId },
    { field: 'anonymousId', type: 'anonymous_id', raw: body.anonymousId },
  ];
  // A group call's traits describe the company, never the person.
  if (body.type === 'identify')
    sources.push({ field: 'traits.email', type: 'email', raw: asFields(body.traits).email });
  const context = asFields(body.context);
  sources.push({ field: 'context.traits.email', type: 'email', raw: asFields(context.traits).email });
  const externalIds = Array.isArray(context.externalIds) ? context.externalIds : [];
  externalIds.forEach((external, index) => {
    const { id, type } = asFields(external);
    if (typeof type === 'string' && type.trim() !== '') {
      sources.push({ field: `context.externalIds[${index}].id`, type: normalizeType(type), raw: id });
    }
  });
  return sources;
}

/**
 * The first identifier of an event whose text no identifier may hold (identifier-text.ts), with
 * the field it is in; the alias and group ids are keys too. Read before anything repairs the text.
 */
export function identifierProblem(body: Fields): { field: string; reason: string } | undefined {
  for (const source of identifierSources(body)) {
    const reason = textProblem(source.raw);
    if (reason) return { field: source.field, reason };
  }
  for (const field of ['previousId', 'groupId'] as const) {
    const reason = textProblem(body[field]);
    if (reason) return { field, reason };
  }
  const { externalIds } = asFields(body.context);
  if (!Array.isArray(externalIds)) return undefined;
  for (let index = 0; index < externalIds.length; index++) {
    const reason = textProblem(asFields(externalIds[index]).type);
    if (reason) return { field: `context.externalIds[${index}].type`, reason };
  }
  return undefined;
}

function textProblem(raw: unknown): string | undefined {
  return typeof raw === 'string' ? identifierTextProblem(raw) : undefined;
}

/** Reads identifiers from a normalized event body (pure): the rules of docs/identity.md. */
export function readIdentityEvent(body: Fields, rules: IdentityRules): IdentityEvent {
  const found: Identifier[] = [];
  let blocked = 0;
  for (const { type: identifierType, raw } of identifierSources(body)) {
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const value = identifierType === 'email' ? normalizeEmail(String(raw)) : String(raw);
    if (blockedReason(value, rules) !== undefined) blocked++;
    else if (!found.some((known) => known.type === identifierType && known.value === value)) {
      found.push({ type: identifierType, value });
    }
  }
  const type = String(body.type);
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
export function normalizeType(type: string): string {
  return type
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function asFields(value: unknown): Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}
