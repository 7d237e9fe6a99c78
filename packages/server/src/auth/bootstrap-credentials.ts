import type { CredentialStore } from './credential-store.js';
import type { WriteKeyKind } from './secrets.js';

export interface BootstrapInput {
  readonly writeKey?: string | undefined;
  readonly writeKeyKind?: WriteKeyKind | undefined;
  readonly adminToken?: string | undefined;
}

/** Secrets created on this start, to be shown once; the database keeps only their hashes. */
export interface CreatedSecrets {
  readonly writeKey?: string;
  readonly adminToken?: string;
}

/**
 * Seeds the secrets given by the environment, and on a first start without any creates one
 * write key and one admin token. "First start" means none of that kind ever existed: revoking
 * every key must not make the next start mint a fresh one.
 */
export async function bootstrapCredentials(store: CredentialStore, input: BootstrapInput): Promise<CreatedSecrets> {
  const created: { writeKey?: string; adminToken?: string } = {};
  if (input.writeKey) await store.seed('write_key', input.writeKey, { writeKeyKind: input.writeKeyKind });
  else if ((await store.countEver('write_key')) === 0) created.writeKey = (await store.create('write_key')).secret;

  if (input.adminToken) await store.seed('admin_token', input.adminToken);
  else if ((await store.countEver('admin_token')) === 0) {
    created.adminToken = (await store.create('admin_token')).secret;
  }
  return created;
}
