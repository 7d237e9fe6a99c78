import { randomBytes } from 'node:crypto';

/**
 * Publishable keys (`pk_…`) let a page ask `GET /v1/personalize` about its own visitor. They are
 * public by design (in a page's source, like a client write key), so each carries the limits of
 * what it may reveal: the traits and computed traits it may answer, the audiences it may name, and
 * the origins (CORS) it may be used from.
 */
export interface PersonalizePolicy {
  /** Trait names it may answer (the contact's traits, from events or edited by a person). */
  readonly traits: readonly string[];
  /** Computed trait names it may answer. */
  readonly computedTraits: readonly string[];
  /** Audience ids (`aud_…`) whose membership it may answer. */
  readonly audiences: readonly string[];
  /** Origins (`https://shop.example`) a browser may use it from; requests from others are refused. */
  readonly origins: readonly string[];
}

export interface PublishableKey {
  readonly id: string;
  /** The key itself, `pk_…`: public, so listed in full. */
  readonly key: string;
  readonly name: string;
  readonly policy: PersonalizePolicy;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly revokedAt: number | null;
}

export const MAX_POLICY_ENTRIES = 200;
const MAX_NAME_CHARACTERS = 200;

export function generatePublishableKey(): { id: string; key: string } {
  return { id: `pkey_${randomBytes(6).toString('hex')}`, key: `pk_${randomBytes(24).toString('base64url')}` };
}

export function isPublishableKeyId(value: string): boolean {
  return /^pkey_[0-9a-f]{12}$/.test(value);
}

export type PolicyCheck = { ok: true; policy: PersonalizePolicy } | { ok: false; message: string };

/** Checks a policy given by a person (CLI, admin API), naming the first field at fault. */
export function checkPolicy(input: {
  traits?: unknown;
  computedTraits?: unknown;
  audiences?: unknown;
  origins?: unknown;
}): PolicyCheck {
  const lists: Record<keyof PersonalizePolicy, string[]> = {
    traits: [],
    computedTraits: [],
    audiences: [],
    origins: [],
  };
  for (const field of ['traits', 'computedTraits', 'audiences', 'origins'] as const) {
    const value = input[field] ?? [];
    if (!Array.isArray(value)) return { ok: false, message: `${field} must be a list of names` };
    if (value.length > MAX_POLICY_ENTRIES) {
      return { ok: false, message: `${field} has ${value.length} entries; at most ${MAX_POLICY_ENTRIES}` };
    }
    for (const entry of value) {
      if (typeof entry !== 'string' || entry.trim() === '' || entry.length > MAX_NAME_CHARACTERS) {
        return { ok: false, message: `${field} entries must be names of 1 to ${MAX_NAME_CHARACTERS} characters` };
      }
    }
    lists[field] = [...new Set(value as string[])];
  }
  for (const audience of lists.audiences) {
    if (!audience.startsWith('aud_'))
      return { ok: false, message: `audiences lists audience ids (aud_…), got ${audience}` };
  }
  for (const origin of lists.origins) {
    const problem = originProblem(origin);
    if (problem) return { ok: false, message: `origins: ${origin} ${problem}` };
  }
  return { ok: true, policy: lists };
}

/** An origin is a scheme, a host and maybe a port, exactly as a browser sends it in `Origin`. */
function originProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (url.origin !== origin) return `is not an origin (scheme://host[:port], no path): did you mean ${url.origin}?`;
  return undefined;
}

export function checkKeyName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_CHARACTERS) {
    return `name must be 1 to ${MAX_NAME_CHARACTERS} characters`;
  }
  return undefined;
}
