import { describe, expect, it } from 'vitest';
import { lastAdminProblem } from './last-admin.js';

const admin = { email: 'ada@example.com', role: 'admin', disabledAt: null } as const;

describe('lastAdminProblem', () => {
  it.each([
    ['demoting the only admin', admin, { role: 'member' }, 1, true],
    ['disabling the only admin', admin, { isDisabled: true }, 1, true],
    ['demoting one of two admins', admin, { role: 'viewer' }, 2, false],
    ['keeping the only admin an admin', admin, { role: 'admin' }, 1, false],
    ['enabling the only admin', admin, { isDisabled: false }, 1, false],
    ['demoting a disabled admin', { ...admin, disabledAt: 1 }, { role: 'member' }, 0, false],
    ['disabling a member', { ...admin, role: 'member' }, { isDisabled: true }, 1, false],
  ] as const)('%s: refused is %s', (_, user, change, count, isRefused) => {
    expect(lastAdminProblem(user, change, count) !== undefined).toBe(isRefused);
  });
});
