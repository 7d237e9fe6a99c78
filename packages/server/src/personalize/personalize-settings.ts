import type { ProfileStreamTiming } from './profile-stream.js';
import type { StreamCapSettings } from './stream-caps.js';

/** The server's personalization settings (config/load-config.ts reads them from the environment). */
export interface PersonalizeSettings {
  /** WEFT_IDENTITY_SECRET: checks the identity tokens of pages that speak for a userId; none accepted without it. */
  readonly identitySecret?: string | undefined;
  /** WEFT_PERSONALIZE_MAX_AGE, in seconds: how long a browser may reuse an answer. Default 0 (it asks again, 304 when unchanged). */
  readonly maxAgeSeconds?: number | undefined;
  readonly streamCaps?: StreamCapSettings | undefined;
  /** Tests shorten it. */
  readonly streamTiming?: ProfileStreamTiming | undefined;
}
