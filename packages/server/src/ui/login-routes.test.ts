import { describe, expect, it } from 'vitest';
import { createPasswordGate } from '../users/password-gate.js';
import { createLoginRoutes } from './login-routes.js';
import { createLoginThrottle } from './login-throttle.js';
import { uiSettingsFor } from './ui-settings.js';
import { openUiTestApp, testPassword } from './ui-test-kit.js';

describe('the login form when password checks are all taken', () => {
  it('answers 503 with Retry-After, without counting a failure or opening a session', async () => {
    const harness = await openUiTestApp();
    const user = await harness.createUser('admin');
    const throttle = createLoginThrottle(harness.clock.now, { maxFailures: 1, windowMs: 60_000, maxTracked: 10 });
    const routes = createLoginRoutes({
      users: harness.store.users,
      settings: uiSettingsFor('https://weft.example.com'),
      throttle,
      passwordGate: createPasswordGate({ maxRunning: 0, maxWaiting: 0 }),
    });
    const answer = await routes.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: testPassword }).toString(),
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('Retry-After')).toBe('2');
    expect(answer.headers.get('Set-Cookie')).toBeNull();
    expect(throttle.isLocked(user.email, 'unknown')).toBe(false);
    expect(await harness.store.users.sessions.listOf(user.id)).toEqual([]);
  });
});
