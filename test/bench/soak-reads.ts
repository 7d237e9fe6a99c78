/** The contact reads of a soak run, in a fixed mix: half by ref, a quarter lists, a quarter searches. */
export interface ContactReads {
  /** Sends the next read and answers its status once the body is read. */
  next(): Promise<number>;
}

const listQueries = ['?limit=50', '?limit=50&sort=-createdAt', '?limit=20&q=person-1', '?limit=50&sort=email'];
const searches = [
  { filters: [{ field: 'traits.plan', op: 'eq', value: 'pro' }], limit: 50 },
  { filters: [{ field: 'eventCount', op: 'gte', value: 5 }], sort: '-lastSeenAt', limit: 50 },
  { filters: [{ field: 'email', op: 'startsWith', value: 'person-2' }], limit: 20 },
];

export function createContactReads(options: { url: string; adminToken: string; someRef: () => string }): ContactReads {
  const headers = { Authorization: `Bearer ${options.adminToken}`, 'Content-Type': 'application/json' };
  let count = 0;
  async function status(response: Promise<Response>): Promise<number> {
    const answer = await response;
    await answer.arrayBuffer();
    return answer.status;
  }
  return {
    next() {
      const turn = count++;
      if (turn % 4 < 2) {
        return status(fetch(`${options.url}/v1/contacts/${encodeURIComponent(options.someRef())}`, { headers }));
      }
      if (turn % 4 === 2) {
        return status(fetch(`${options.url}/v1/contacts${listQueries[turn % listQueries.length]}`, { headers }));
      }
      const body = JSON.stringify(searches[turn % searches.length]);
      return status(fetch(`${options.url}/v1/contacts/search`, { method: 'POST', headers, body }));
    },
  };
}
