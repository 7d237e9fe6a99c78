import { expect } from 'vitest';
import type { EngineContactsTestApp } from '../../packages/server/src/contacts/contact-test-kit.js';
import { readClearAnswer } from './clear-answer.js';

/** What both contacts fuzz suites share: the contacts they start from, and what a clear answer is there. */

const fieldPath = String.raw`[A-Za-z_$][\w$-]*(\[\d+\])?(\.[\w$-]+(\[\d+\])?)*`;
/**
 * Every 400 must say which field it is about, as `<field>: …` (`filters[2].value: …`, `limit: …`,
 * `email, userId: …`), or, when the body as a whole is unreadable, say so.
 */
const namesAField = new RegExp(`^${fieldPath}(, ${fieldPath})*: \\S|\\bbody\\b`, 'i');

/** Contacts with traits, companies and tags to find, ties on timestamps, and some without an email. */
export async function seedContacts(t: Pick<EngineContactsTestApp, 'seed' | 'send'>): Promise<void> {
  await t.seed(
    {
      type: 'identify',
      userId: 'u1',
      traits: { email: 'ada@example.com', name: 'Ada', plan: 'pro', seats: 5, address: { city: 'London' } },
    },
    { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } },
    { type: 'track', userId: 'u1', event: 'Login' },
  );
  await t.seed(
    { type: 'identify', userId: 'u2', traits: { email: 'grace@navy.mil', name: 'Grace', 'a-b': 'dash', beta: true } },
    { type: 'group', userId: 'u2', groupId: 'navy' },
  );
  await t.seed({ type: 'identify', userId: 'u3', anonymousId: 'anon-3', traits: { name: "O'Brien %_\\" } });
  // Ties and gaps for paging: shared timestamps, and contacts without an email (null sort keys).
  for (let n = 4; n <= 15; n++) {
    const timestamp = `2026-02-0${1 + (n % 3)}T00:00:00.000Z`;
    const traits =
      n % 2 === 0 ? { email: `p${n % 5}-${n}@example.com`, plan: n % 4 === 0 ? 'pro' : 'free' } : { plan: 'free' };
    await t.seed({ type: 'identify', userId: `u${n}`, timestamp, traits });
  }
  const tagged = await t.send('PATCH', '/v1/contacts/user_id:u1', {
    tags: ['vip', "'; DROP TABLE profiles; --"],
    lifecycleStage: 'customer',
  });
  expect(tagged.status).toBe(200);
}

/** A clear answer (see readClearAnswer) whose status is one of `allowed`; a 400 must name the field. */
export async function expectClear(response: Response | Promise<Response>, label: string, allowed: number[]) {
  const answer = await readClearAnswer(await response, label);
  expect(allowed, `${label} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`).toContain(
    answer.status,
  );
  if (answer.status === 400) {
    const { message } = (answer.body as { error: { message: string } }).error;
    expect(message, `${label}: a 400 must name the field`).toMatch(namesAField);
  }
  return answer;
}
