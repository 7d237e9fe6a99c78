import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a secret is `whsec_` and the
 * base64 of its key bytes; a signature is `v1,` and the base64 HMAC-SHA256 of
 * `<webhook-id>.<webhook-timestamp>.<body>` under that key. Several signatures (during a secret's
 * rotation) are sent space-separated in one `webhook-signature` header.
 */

const prefix = 'whsec_';

/** A new secret: 24 random bytes. */
export function newWebhookSecret(): string {
  return `${prefix}${randomBytes(24).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64');
}

export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per secret still in use. */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string) {
  return secrets.map((secret) => signatureOf(secret, id, timestampSeconds, body)).join(' ');
}

/** Whether any signature in the header is this secret's (what a receiver checks; tests use it too). */
export function hasSignature(header: string, secret: string, id: string, timestampSeconds: number, body: string) {
  const expected = Buffer.from(signatureOf(secret, id, timestampSeconds, body));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
