import { ApiError } from '../http/api-error.js';
import type { CredentialStore, WriteKeyOwner } from './credential-store.js';

const challenge = { 'WWW-Authenticate': 'Basic realm="weft"' };

/** Resolves a write key to its source, or refuses the request with 401. */
export async function authenticateSource(
  credentials: CredentialStore,
  writeKey: string | undefined,
): Promise<WriteKeyOwner> {
  if (writeKey === undefined) {
    throw new ApiError(
      401,
      'missing_write_key',
      'no write key: send it as the HTTP Basic user name or as "writeKey" in the JSON body',
      challenge,
    );
  }
  const owner = await credentials.findWriteKey(writeKey);
  if (!owner) throw new ApiError(401, 'invalid_write_key', 'the write key is unknown or has been revoked', challenge);
  return owner;
}
