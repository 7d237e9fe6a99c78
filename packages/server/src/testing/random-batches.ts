// Seeded batches of events for tests that compare engines or orders: a few people over a few
// devices, with names and emails as people type them, merges, aliases, companies and retries.
import { contractStart } from '../storage/store-harness.contract.js';
import { seededRandom } from './seeded-random.js';

type Body = Record<string, unknown>;

/** Events of a few people over a few devices, with merges, aliases, companies and retries. */
export function randomBatches(seed: number, batches: number): Body[][] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
  const devices = Array.from({ length: 12 }, (_, index) => `a${index}`);
  const emails = ['ada@example.com', 'bo@example.com', 'cy@example.com'];
  // Names as people type them: case, accents, spaces, first and last apart, not a string at all.
  const names: Body[] = [
    { name: 'Ada Lovelace' },
    { name: '  Émile Zola ' },
    { firstName: 'Bo', lastName: 'ÅSTRÖM' },
    { firstName: ' ', lastName: 'Cy' },
    { name: '', firstName: 'Dee' },
    { name: 42 },
    { email: ' Bo@Example.COM ' },
    { email: 'ÉVA@EXAMPLE.COM' },
    // Not an email any more: the displayed one falls back to the earliest email identifier.
    { email: '' },
    { email: 7 },
  ];
  const sent: Body[] = [];
  let next = 0;
  return Array.from({ length: batches }, () =>
    Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      if (sent.length > 0 && random() < 0.08) return pick(sent);
      const at = new Date(contractStart + Math.floor(random() * 100) * 1000).toISOString();
      const who = {
        ...(random() < 0.5 ? { userId: pick(users) } : {}),
        ...(random() < 0.7 ? { anonymousId: pick(devices) } : {}),
      };
      const messageId = `m${++next}`;
      const kind = random();
      let body: Body;
      if (kind < 0.35) {
        body = {
          type: 'identify',
          ...who,
          traits: {
            plan: pick(['free', 'pro', 'team']),
            ...(random() < 0.4 ? { email: pick(emails) } : {}),
            ...(random() < 0.4 ? pick(names) : {}),
          },
        };
      } else if (kind < 0.45) {
        body = { type: 'alias', previousId: pick([...devices, ...users]), userId: pick(users) };
      } else if (kind < 0.55) {
        body = { type: 'group', ...who, groupId: pick(['g1', 'g2']), traits: { size: Math.floor(random() * 50) } };
      } else body = { type: 'track', event: pick(['Viewed', 'Paid']), ...who };
      if (!('userId' in body) && !('anonymousId' in body) && body.type !== 'alias') body.anonymousId = pick(devices);
      const event = { ...body, messageId, timestamp: at };
      sent.push(event);
      return event;
    }),
  );
}
