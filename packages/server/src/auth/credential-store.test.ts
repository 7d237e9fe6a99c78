import { describe, expect, it } from 'vitest';
import { createCredentialStore } from '../storage/sqlite/credential-store.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { answeredAsync } from '../storage/sqlite/synchronous.js';
import { bootstrapCredentials } from './bootstrap-credentials.js';
import type { CredentialStore } from './credential-store.js';
import { hashSecret } from './secrets.js';

describe('credential store', () => {
  it('stores only the SHA-256 of a secret, and finds the write key by it', () => {
    const db = openDatabase(':memory:');
    const store = createCredentialStore(db, () => 1000);
    const { secret, credential } = store.create('write_key', { source: 'web' });
    expect(secret).toMatch(/^wk_[A-Za-z0-9_-]{43}$/);
    const row = db.prepare('SELECT * FROM credentials').get() as Record<string, unknown>;
    expect(row.secret_hash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));
    expect(store.findWriteKey(secret)).toEqual({ credentialId: credential.id, source: 'web', writeKeyKind: 'client' });
    expect(store.findWriteKey(`${secret}x`)).toBeUndefined();
  });

  it('keeps write keys and admin tokens apart', () => {
    const store = createCredentialStore(openDatabase(':memory:'));
    const admin = store.create('admin_token').secret;
    const key = store.create('write_key').secret;
    expect(store.findWriteKey(admin)).toBeUndefined();
    expect(store.verifyAdminToken(admin)).toBe(true);
    expect(store.verifyAdminToken(key)).toBe(false);
  });

  it('revokes by id, once', () => {
    const store = createCredentialStore(openDatabase(':memory:'), () => 5);
    const { secret, credential } = store.create('write_key');
    expect(store.revoke(credential.id)).toBe(true);
    expect(store.revoke(credential.id)).toBe(false);
    expect(store.findWriteKey(secret)).toBeUndefined();
    expect(store.list()[0]?.revokedAt).toBe(5);
  });
});

describe('bootstrapCredentials', () => {
  const storeOf = () => answeredAsync<CredentialStore>(createCredentialStore(openDatabase(':memory:')));

  it('creates a write key and an admin token on a first start, and none on the next', async () => {
    const store = storeOf();
    const first = await bootstrapCredentials(store, {});
    expect(await store.findWriteKey(first.writeKey ?? '')).toBeDefined();
    expect(await store.verifyAdminToken(first.adminToken ?? '')).toBe(true);
    expect(await bootstrapCredentials(store, {})).toEqual({});
  });

  it('does not mint new keys after every key was revoked', async () => {
    const store = storeOf();
    await bootstrapCredentials(store, {});
    for (const credential of await store.list()) await store.revoke(credential.id);
    expect(await bootstrapCredentials(store, {})).toEqual({});
  });

  it('seeds the secrets given by the environment, once, and creates nothing else', async () => {
    const store = storeOf();
    const input = { writeKey: 'wk_from_env', adminToken: 'adm_from_env' };
    expect(await bootstrapCredentials(store, input)).toEqual({});
    expect(await bootstrapCredentials(store, input)).toEqual({});
    expect(await store.list()).toHaveLength(2);
    expect((await store.findWriteKey('wk_from_env'))?.source).toBe('default');
    expect(await store.verifyAdminToken('adm_from_env')).toBe(true);
  });
});
