/**
 * The people a soak run simulates. Each arrives anonymous, browses, identifies (userId + email),
 * goes on as a known user on the same device, and leaves after a few events; a new person takes
 * the place, so profiles keep being created at a steady pace, as on a live site.
 */
export interface SimulatedUsers {
  /** The next event of a random active person, with a messageId unique to this run. */
  nextEvent(): Record<string, unknown>;
  /** A ref of a person seen so far, for contact reads: `user_id:…` or `anonymous_id:…`. */
  someRef(): string;
  readonly peopleSeen: number;
}

interface Person {
  readonly number: number;
  eventsSent: number;
}

const anonymousEvents = 3;
const eventsPerPerson = 12;

export function createSimulatedUsers(options: {
  activeUsers: number;
  runId: string;
  random?: () => number;
}): SimulatedUsers {
  const random = options.random ?? Math.random;
  let nextNumber = 0;
  let nextMessage = 0;
  const newPerson = (): Person => ({ number: nextNumber++, eventsSent: 0 });
  const active: Person[] = Array.from({ length: options.activeUsers }, newPerson);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  function eventOf(person: Person): Record<string, unknown> {
    const anonymousId = `${options.runId}-anon-${person.number}`;
    const userId = `${options.runId}-user-${person.number}`;
    const messageId = `${options.runId}-m${nextMessage++}`;
    const step = person.eventsSent;
    const context = { library: { name: 'weft-soak', version: '1.0.0' }, locale: 'en-GB', page: { path: '/pricing' } };
    if (step < anonymousEvents) {
      return step === 0
        ? { type: 'page', anonymousId, messageId, name: 'Pricing', context }
        : {
            type: 'track',
            anonymousId,
            messageId,
            event: 'Product Viewed',
            properties: { sku: `sku-${step}` },
            context,
          };
    }
    if (step === anonymousEvents) {
      const traits = {
        email: `person-${person.number}@soak.example`,
        name: `Person ${person.number}`,
        plan: pick(['free', 'pro', 'team']),
      };
      return { type: 'identify', anonymousId, userId, messageId, traits, context };
    }
    return {
      type: 'track',
      anonymousId,
      userId,
      messageId,
      event: pick(['Order Completed', 'Feature Used', 'Invite Sent']),
      properties: { total: Math.round(random() * 10_000) / 100, currency: 'EUR' },
      context,
    };
  }

  return {
    nextEvent() {
      const slot = Math.floor(random() * active.length);
      const person = active[slot] as Person;
      const event = eventOf(person);
      person.eventsSent += 1;
      if (person.eventsSent >= eventsPerPerson) active[slot] = newPerson();
      return event;
    },
    someRef() {
      const person = pick(active);
      // Someone who has identified is found by userId; the others by their anonymous id.
      return person.eventsSent > anonymousEvents
        ? `user_id:${options.runId}-user-${person.number}`
        : `anonymous_id:${options.runId}-anon-${person.number}`;
    },
    get peopleSeen() {
      return nextNumber;
    },
  };
}
