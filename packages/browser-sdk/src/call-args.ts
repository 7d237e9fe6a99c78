import type { Integrations, JsonObject } from '@weft/core';

/** The last argument of each call, as in analytics.js. */
export interface CallOptions {
  context?: JsonObject;
  timestamp?: Date | string | number;
  integrations?: Integrations;
  anonymousId?: string;
  messageId?: string;
  /** Consent categories this event needs besides the default ones. */
  categories?: string[];
}

/** page(name), page(category, name), page(name, properties), page(properties, options)… as analytics.js reads them. */
export function readPageArgs(args: unknown[]): [string?, string?, JsonObject?, CallOptions?] {
  if (typeof args[0] === 'object' && args[0] !== null) args.unshift(undefined);
  if (typeof args[1] !== 'string') args.unshift(undefined);
  return args as [string?, string?, JsonObject?, CallOptions?];
}

/** identify(userId, traits, options) or identify(traits, options). */
export function readIdentifyArgs(
  args: unknown[],
): [string | undefined, JsonObject | undefined, CallOptions | undefined] {
  if (typeof args[0] === 'object' && args[0] !== null) args.unshift(undefined);
  const [userId, traits, options] = args as [string | number | null | undefined, JsonObject?, CallOptions?];
  return [userId == null ? undefined : String(userId), traits, options];
}
