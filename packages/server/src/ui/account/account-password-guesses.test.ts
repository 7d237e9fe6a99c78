import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../users/password-hash.js';
import { openUiTestApp, testPassword, visibleText } from '../ui-test-kit.js';

describe('/ui/account/password', () => {
  it('stops guesses of the current password past the login limit, as the login form does', async () => {
    const t = await openUiTestApp();
    const client = await t.loginAs('viewer');
    const change = (current: string) =>
      client.post('/ui/account/password', { current, password: 'a new password 123', confirm: 'a new password 123' });
    for (let guess = 0; guess < 10; guess++) expect((await change(`guess ${guess}`)).status).toBe(400);
    // The 11th try is refused without a password check, even with the right password.
    const locked = await change(testPassword);
    expect(locked.status).toBe(429);
    expect(visibleText(await locked.text())).toContain('Too many failed attempts');
    const stored = await t.store.users.accounts.byEmail(client.user.email);
    expect(await verifyPassword(testPassword, stored?.passwordHash ?? '')).toBe(true);
  }, 30_000);
});
