import { afterEach, describe, expect, it } from 'vitest';
import { createPersonalization, type Personalization, type Profile } from './personalization.js';

const empty: Profile = { audiences: [], traits: {}, computed: {} };
const vip: Profile = { audiences: [{ id: 'aud_vip', name: 'VIP' }], traits: { plan: 'pro' }, computed: {} };

/** A server that answers each ask with the next profile, and records what it was asked. */
function fakeServer(answers: Profile[], { ticket = 'ticket-1', status = 200 } = {}) {
  const asked: { url: URL; headers: Record<string, string> }[] = [];
  const streams: FakeEventSource[] = [];
  class FakeEventSource {
    readonly listeners = new Map<string, ((message: { data: string }) => void)[]>();
    isClosed = false;
    constructor(readonly url: string) {
      streams.push(this);
    }
    addEventListener(type: string, listener: (message: { data: string }) => void) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }
    emit(type: string, data: unknown) {
      for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
    }
    close() {
      this.isClosed = true;
    }
  }
  const fetch = async (url: string, init?: { headers?: Record<string, string> }) => {
    asked.push({ url: new URL(url), headers: init?.headers ?? {} });
    const profile = answers.shift() ?? empty;
    return new Response(JSON.stringify({ ...profile, streamTicket: ticket }), { status });
  };
  return { asked, streams, deps: { fetch: fetch as typeof globalThis.fetch, EventSource: FakeEventSource as never } };
}

let client: Personalization | undefined;
afterEach(() => client?.close());

describe('createPersonalization', () => {
  it('asks about the anonymous visitor with the key, and keeps the answer', async () => {
    const server = fakeServer([vip]);
    client = createPersonalization(
      () => ({ anonymousId: 'anon-1' }),
      { host: 'https://weft.example/', key: 'pk_1' },
      server.deps,
    );
    expect(await client.profile()).toEqual(vip);
    expect(await client.profile()).toEqual(vip);
    expect(server.asked).toHaveLength(1);
    const [{ url, headers } = { url: new URL('x:'), headers: {} }] = server.asked;
    expect(`${url.origin}${url.pathname}`).toBe('https://weft.example/v1/personalize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ key: 'pk_1', anonymousId: 'anon-1', stream: 'true' });
    expect(headers).toEqual({});
  });

  it('sends the userId and the identity token only together', async () => {
    const server = fakeServer([vip, vip]);
    let user: string | undefined;
    client = createPersonalization(
      () => ({ anonymousId: 'a', id: user }),
      { host: 'https://w', key: 'k', identityToken: 'jwt' },
      server.deps,
    );
    await client.profile();
    user = 'u1';
    await client.refresh();
    expect(
      server.asked.map(({ url, headers }) => [url.searchParams.get('userId'), headers['X-Weft-Identity-Token']]),
    ).toEqual([
      [null, undefined],
      ['u1', 'jwt'],
    ]);
  });

  it('tells listeners of each new profile, from an answer or from the stream, once per change', async () => {
    const server = fakeServer([empty]);
    client = createPersonalization(() => ({ anonymousId: 'a' }), { host: 'https://w', key: 'k' }, server.deps);
    const heard: Profile[] = [];
    client.on('profile', (profile) => heard.push(profile));
    await client.profile();
    const [stream] = server.streams;
    expect(stream?.url).toBe('https://w/v1/personalize/stream?ticket=ticket-1');
    stream?.emit('profile', vip);
    stream?.emit('profile', vip);
    expect(heard).toEqual([vip]);
  });

  it('asks again, for a new ticket, when the stream ends', async () => {
    const server = fakeServer([empty, vip], { ticket: 't' });
    client = createPersonalization(() => ({ anonymousId: 'a' }), { host: 'https://w', key: 'k' }, server.deps);
    await client.profile();
    server.streams[0]?.emit('end', { code: 'token_expired' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(server.asked).toHaveLength(2);
    expect(server.streams[0]?.isClosed).toBe(true);
    expect(server.streams).toHaveLength(2);
    expect(await client.profile()).toEqual(vip);
  });

  it('answers the empty profile when the server refuses, and never rejects', async () => {
    const server = fakeServer([vip], { status: 403 });
    client = createPersonalization(() => ({ anonymousId: 'a' }), { host: 'https://w', key: 'k' }, server.deps);
    expect(await client.profile()).toEqual(empty);
    const failing = createPersonalization(
      () => ({ anonymousId: 'a' }),
      { host: 'https://w', key: 'k' },
      {
        fetch: (async () => {
          throw new TypeError('offline');
        }) as never,
      },
    );
    expect(await failing.profile()).toEqual(empty);
    failing.close();
  });

  it('closes the stream of a visitor the page no longer speaks for', async () => {
    const server = fakeServer([vip, empty]);
    let anonymousId = 'a1';
    client = createPersonalization(() => ({ anonymousId }), { host: 'https://w', key: 'k' }, server.deps);
    await client.profile();
    anonymousId = 'a2'; // weft.reset(): a new visitor
    await client.refresh();
    expect(server.streams.map((stream) => stream.isClosed)).toEqual([true, false]);
  });

  it('keeps the newest answer when an older one comes back later', async () => {
    let release: (() => void) | undefined;
    const answers = [vip, empty];
    const fetch = (async () => {
      const profile = answers.shift() ?? empty;
      if (profile === vip) await new Promise<void>((resolve) => (release = resolve));
      return new Response(JSON.stringify(profile));
    }) as never;
    client = createPersonalization(
      () => ({ anonymousId: 'a' }),
      { host: 'https://w', key: 'k', live: false },
      { fetch },
    );
    const heard: Profile[] = [];
    client.on('profile', (profile) => heard.push(profile));
    const older = client.refresh();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const newer = client.refresh();
    await newer;
    release?.();
    await older;
    expect(await client.profile()).toEqual(empty);
    expect(heard).toEqual([]);
  });
});
