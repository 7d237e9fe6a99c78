// The contract every CredentialStore keeps (auth/credential-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { OpenStoreParts } from '../storage/store-harness.contract.js';

export function testCredentialStoreContract(open: OpenStoreParts<'credentials'>): void {
  describe('CredentialStore contract', () => {
    it('answers a secret once, finds its owner by it, and forgets it once revoked', async () => {
      const { store, close } = await open();
      const credentials = store.credentials;
      const made = await credentials.create('write_key', { source: 'shop', writeKeyKind: 'server' });
      expect(made.secret.length).toBeGreaterThan(20);
      expect(made.credential).toMatchObject({ kind: 'write_key', source: 'shop', writeKeyKind: 'server' });
      expect(made.credential.hint.length).toBeLessThan(made.secret.length / 2);
      expect(await credentials.findWriteKey(made.secret)).toEqual({
        credentialId: made.credential.id,
        source: 'shop',
        writeKeyKind: 'server',
      });
      expect(await credentials.findWriteKey(`${made.secret}x`)).toBeUndefined();
      expect(await credentials.list()).not.toContainEqual(expect.objectContaining({ hint: made.secret }));

      expect(await credentials.revoke(made.credential.id)).toBe(true);
      expect(await credentials.findWriteKey(made.secret)).toBeUndefined();
      expect((await credentials.list()).find((c) => c.id === made.credential.id)?.revokedAt).not.toBeNull();
      expect(await credentials.revoke('no-such-id')).toBe(false);
      await close();
    });

    it('tells admin tokens from write keys, and a client key is the default', async () => {
      const { store, close } = await open();
      const admin = await store.credentials.create('admin_token');
      const key = await store.credentials.create('write_key');
      expect(await store.credentials.verifyAdminToken(admin.secret)).toBe(true);
      expect(await store.credentials.verifyAdminToken(key.secret)).toBe(false);
      expect(await store.credentials.findWriteKey(admin.secret)).toBeUndefined();
      expect((await store.credentials.findWriteKey(key.secret))?.writeKeyKind).toBe('client');
      await store.credentials.revoke(admin.credential.id);
      expect(await store.credentials.verifyAdminToken(admin.secret)).toBe(false);
      await close();
    });

    it('seeds a given secret once, and counts every credential ever made, revoked ones too', async () => {
      const { store, close } = await open();
      const secret = 'wk_contract_0123456789abcdefghijklmnopqrstuv';
      const first = await store.credentials.seed('write_key', secret);
      const again = await store.credentials.seed('write_key', secret);
      expect(again.id).toBe(first.id);
      expect(await store.credentials.findWriteKey(secret)).toMatchObject({ credentialId: first.id, source: 'default' });
      await store.credentials.revoke(first.id);
      expect(await store.credentials.countEver('write_key')).toBe(1);
      expect(await store.credentials.countEver('admin_token')).toBe(0);
      await close();
    });
  });
}
