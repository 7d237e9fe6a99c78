// The contract every UserStore keeps (users/user-store.ts). Not part of the build.
import { describe, expect, it } from 'vitest';
import type { OpenStoreParts } from '../storage/store-harness.contract.js';

const timing = { idleMs: 60 * 60_000, maxAgeMs: 24 * 60 * 60_000 };

export function testUserStoreContract(open: OpenStoreParts<'users'>): void {
  describe('UserStore contract', () => {
    it('keeps one user per email, ignoring case, and finds them with their hash for a login', async () => {
      const { store, close } = await open();
      const { accounts } = store.users;
      const ada = await accounts.create({ email: 'ada@example.com', role: 'admin', passwordHash: 'h1' });
      expect(ada).toMatchObject({ email: 'ada@example.com', role: 'admin', disabledAt: null });
      expect(await accounts.create({ email: 'ADA@example.com', role: 'viewer', passwordHash: 'h2' })).toBeUndefined();
      expect(await accounts.byEmail('Ada@Example.com')).toMatchObject({ id: ada?.id, passwordHash: 'h1' });
      await accounts.create({ email: 'zed@example.com', role: 'admin', passwordHash: 'h3' });
      expect(await accounts.setRole(ada?.id ?? '', 'member')).toMatchObject({ role: 'member' });
      expect(await accounts.countAdmins()).toBe(1);
      expect(await accounts.setPasswordHash(ada?.id ?? '', 'h3')).toBe(true);
      expect((await accounts.byEmail('ada@example.com'))?.passwordHash).toBe('h3');
      await close();
    });

    it('never leaves no active admin: the last one is neither demoted nor disabled, even by two changes at once', async () => {
      const { store, close } = await open();
      const { accounts } = store.users;
      const ada = await accounts.create({ email: 'ada@example.com', role: 'admin', passwordHash: 'h' });
      const bo = await accounts.create({ email: 'bo@example.com', role: 'admin', passwordHash: 'h' });
      if (!ada || !bo) throw new Error('no users');
      // Each admin demotes the other at the same moment, again and again: one change goes through, never both.
      for (let round = 0; round < 20; round++) {
        await accounts.setRole(ada.id, 'admin');
        await accounts.setRole(bo.id, 'admin');
        const answers = await Promise.all([accounts.setRole(ada.id, 'member'), accounts.setRole(bo.id, 'member')]);
        expect(answers.filter((answer) => answer === 'last_admin')).toHaveLength(1);
        expect(await accounts.countAdmins()).toBe(1);
      }
      const admin = (await accounts.list()).find((user) => user.role === 'admin');
      expect(await accounts.setDisabled(admin?.id ?? '', true)).toBe('last_admin');
      expect(await accounts.byId(admin?.id ?? '')).toMatchObject({ role: 'admin', disabledAt: null });
      expect(await accounts.setRole('us_nobody', 'viewer')).toBeUndefined();
      await close();
    });

    it('resumes a session by its secret until it is revoked, idle too long, too old, or its user disabled', async () => {
      const { store, clock, close } = await open();
      const { accounts, sessions } = store.users;
      const user = await accounts.create({ email: 'bo@example.com', role: 'member', passwordHash: 'h' });
      if (!user) throw new Error('no user');
      const first = await sessions.open(user.id, 'test agent');
      expect(await sessions.resume(first.secret, timing)).toMatchObject({
        user: { id: user.id },
        session: { id: first.session.id },
      });
      expect(await sessions.resume(`${first.secret}x`, timing)).toBeUndefined();
      // Used within the idle limit, again and again: alive past the idle time from its start.
      for (let step = 0; step < 3; step++) {
        clock.time += timing.idleMs - 1_000;
        expect(await sessions.resume(first.secret, timing)).toBeDefined();
      }
      clock.time += timing.idleMs + 1;
      expect(await sessions.resume(first.secret, timing)).toBeUndefined();

      const second = await sessions.open(user.id, undefined);
      const other = await accounts.create({ email: 'cy@example.com', role: 'member', passwordHash: 'h' });
      expect(await sessions.revoke(other?.id ?? '', second.session.id)).toBe(false);
      expect(await sessions.resume(second.secret, timing)).toBeDefined();
      expect(await sessions.revoke(user.id, second.session.id)).toBe(true);
      expect(await sessions.resume(second.secret, timing)).toBeUndefined();

      const third = await sessions.open(user.id, undefined);
      await accounts.setDisabled(user.id, true);
      expect(await sessions.resume(third.secret, timing)).toBeUndefined();
      await accounts.setDisabled(user.id, false);
      expect(await sessions.resume(third.secret, timing)).toBeUndefined();

      const fourth = await sessions.open(user.id, undefined);
      for (let step = 0; step < 30; step++) {
        clock.time += timing.idleMs - 1_000;
        await sessions.resume(fourth.secret, timing);
      }
      expect(await sessions.resume(fourth.secret, timing)).toBeUndefined();
      expect((await sessions.listOf(user.id)).map((session) => session.id)).toEqual(
        expect.arrayContaining([first.session.id, second.session.id, third.session.id, fourth.session.id]),
      );
      await close();
    });

    it('does not count a resume that is not a use (a page refreshing itself) towards staying alive', async () => {
      const { store, clock, close } = await open();
      const { accounts, sessions } = store.users;
      const user = await accounts.create({ email: 'di@example.com', role: 'viewer', passwordHash: 'h' });
      const opened = await sessions.open(user?.id ?? '', undefined);
      for (let step = 0; step < 2; step++) {
        clock.time += timing.idleMs / 2;
        expect(await sessions.resume(opened.secret, timing, { isUse: false })).toBeDefined();
      }
      // Idle since it was opened, whatever the resumes above.
      clock.time += timing.idleMs / 2;
      expect(await sessions.resume(opened.secret, timing)).toBeUndefined();
      await close();
    });

    it('lists the audit log newest first, a page at a time', async () => {
      const { store, clock, close } = await open();
      const { audit } = store.users;
      for (let index = 0; index < 5; index++) {
        clock.time += 1_000;
        await audit.record({
          actor: 'ada@example.com',
          action: 'contact.erased',
          target: `ct_${index}`,
          detail: { index },
        });
      }
      const first = await audit.list({ limit: 3 });
      expect(first.map((entry) => entry.target)).toEqual(['ct_4', 'ct_3', 'ct_2']);
      expect(first[0]).toMatchObject({ actor: 'ada@example.com', at: clock.time, detail: { index: 4 } });
      const next = await audit.list({ limit: 3, before: first.at(-1)?.id });
      expect(next.map((entry) => entry.target)).toEqual(['ct_1', 'ct_0']);
      await close();
    });

    it("keeps each user's saved views to themselves", async () => {
      const { store, close } = await open();
      const { accounts, views } = store.users;
      const ada = await accounts.create({ email: 'ada@example.com', role: 'member', passwordHash: 'h' });
      const bo = await accounts.create({ email: 'bo@example.com', role: 'member', passwordHash: 'h' });
      const saved = await views.save(ada?.id ?? '', 'Leads', 'stage=lead');
      expect(await views.listOf(ada?.id ?? '')).toEqual([saved]);
      expect(await views.listOf(bo?.id ?? '')).toEqual([]);
      expect(await views.remove(bo?.id ?? '', saved.id)).toBe(false);
      expect(await views.remove(ada?.id ?? '', saved.id)).toBe(true);
      await close();
    });
  });
}
