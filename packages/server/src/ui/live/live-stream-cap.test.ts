import { afterEach, describe, expect, it } from 'vitest';
import { openUiTestApp } from '../ui-test-kit.js';

const open: Response[] = [];
afterEach(async () => {
  for (const response of open.splice(0)) await response.body?.cancel();
});

describe('live page streams', () => {
  it('are capped per user, not per session: logging in again opens no more', async () => {
    const t = await openUiTestApp();
    const first = await t.loginAs('viewer');
    const second = await t.loginAs('viewer', first.user);
    for (let index = 0; index < 20; index++) {
      const response = await first.get(`/ui/live/contacts/ct_${index}`);
      open.push(response);
      expect(response.status).toBe(200);
    }
    const more = await second.get('/ui/live/contacts/ct_more');
    open.push(more);
    expect(more.status).toBe(429);
    // Someone else is not held back by this user's streams.
    const other = await (await t.loginAs('viewer')).get('/ui/live/contacts/ct_other');
    open.push(other);
    expect(other.status).toBe(200);
  });
});
