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
export function bootstrapCredentials(store: CredentialStore, input: BootstrapInput): CreatedSecrets {
  const created: { writeKey?: string; adminToken?: string } = {};
  if (input.writeKey) store.seed('write_key', input.writeKey, { writeKeyKind: input.writeKeyKind });
  else if (store.countEver('write_key') === 0) created.writeKey = store.create('write_key').secret;

  if (input.adminToken) store.seed('admin_token', input.adminToken);
  else if (store.countEver('admin_token') === 0) created.adminToken = store.create('admin_token').secret;
  return created;
}
