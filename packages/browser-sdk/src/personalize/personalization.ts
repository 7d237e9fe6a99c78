// Asks Weft what this page may know about its own visitor (GET /v1/personalize), keeps the
// answer, and, with `live`, holds a stream that pushes a new answer when the visitor's behaviour
// changes it. A separate entry point and file: nothing here is in weft.min.js.

export interface Profile {
  audiences: { id: string; name: string }[];
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
}

export interface PersonalizeOptions {
  /** The Weft server, e.g. `https://weft.example.com`. */
  host: string;
  /** A publishable key (`pk_…`). */
  key: string;
  /** For a signed-in user: the identity token your backend signed (docs/personalization.md). */
  identityToken?: string | undefined;
  /** Asks again this often, ms. Default 60,000; 0 never. */
  refreshMs?: number;
  /** Holds a stream for changes as they happen. Default true. */
  live?: boolean;
}

/** Who the page's visitor is: the analytics client's user (`weft.user()`). */
export interface Visitor {
  anonymousId: string;
  id?: string | undefined;
}

export interface Personalization {
  /** The visitor's profile: the kept one while it is fresh, else asked for. Never rejects: empty on failure. */
  profile(): Promise<Profile>;
  /** Called with each new profile (a change of audiences or allowlisted traits); answers a function that stops it. */
  on(event: 'profile', listener: (profile: Profile) => void): () => void;
  /** Asks again now (after identify, reset, or a new identity token). */
  refresh(identityToken?: string): Promise<Profile>;
  close(): void;
}

interface Deps {
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

const EMPTY: Profile = { audiences: [], traits: {}, computed: {} };

export function createPersonalization(
  visitor: () => Visitor,
  options: PersonalizeOptions,
  deps: Deps = globalThis,
): Personalization {
  const base = `${options.host.replace(/\/$/, '')}/v1/personalize`;
  const listeners = new Set<(profile: Profile) => void>();
  let token = options.identityToken;
  let current: Promise<Profile> | undefined;
  let lastJson = JSON.stringify(EMPTY);
  let stream: EventSource | undefined;
  let streamOf = '';
  let closed = false;
  const refreshMs = options.refreshMs ?? 60_000;
  const refreshTimer = refreshMs > 0 ? setInterval(() => void refresh(), refreshMs) : undefined;

  function publish(profile: Profile): Profile {
    const json = JSON.stringify(profile);
    if (json !== lastJson) {
      lastJson = json;
      for (const listener of listeners) listener(profile);
    }
    return profile;
  }

  /** Numbers each ask: an answer that comes after a newer ask started is out of date. */
  let asks = 0;

  function closeStream(): void {
    stream?.close();
    stream = undefined;
    streamOf = '';
  }

  async function ask(): Promise<Profile> {
    const thisAsk = ++asks;
    const who = visitor();
    const live = options.live !== false && !closed;
    const query = new URLSearchParams({ key: options.key, anonymousId: who.anonymousId });
    if (token && who.id) query.set('userId', who.id);
    if (live) query.set('stream', 'true');
    try {
      const response = await (deps.fetch ?? fetch)(`${base}?${query}`, {
        headers: token && who.id ? { 'X-Weft-Identity-Token': token } : {},
      });
      const body = response.ok ? ((await response.json()) as Profile & { streamTicket?: string }) : undefined;
      if (thisAsk !== asks) return current ?? Promise.resolve(EMPTY);
      // One stream per identity: opened again only when the visitor (or the token) changed; a
      // refusal closes it, so a stream never goes on speaking for someone the page no longer is.
      const identity = `${who.anonymousId}|${who.id ?? ''}|${token ?? ''}`;
      if (!body || identity !== streamOf) closeStream();
      if (!body) return publish(EMPTY);
      const { streamTicket, ...profile } = body;
      if (live && streamTicket && !stream) openStream(streamTicket, identity);
      return publish(profile);
    } catch {
      if (thisAsk === asks) closeStream();
      return publish(EMPTY);
    }
  }

  function openStream(ticket: string, identity: string): void {
    closeStream();
    const Source = deps.EventSource ?? globalThis.EventSource;
    if (!Source) return;
    const opened = new Source(`${base}/stream?ticket=${encodeURIComponent(ticket)}`);
    stream = opened;
    streamOf = identity;
    opened.addEventListener('profile', (message) => publish(JSON.parse((message as MessageEvent).data) as Profile));
    // The token expired, the key was revoked, or a reconnection met a used ticket (a ticket opens
    // one stream): a new ask brings a new ticket, or the empty profile.
    const renew = () => {
      if (stream !== opened) return;
      closeStream();
      void refresh();
    };
    opened.addEventListener('end', renew);
    opened.addEventListener('error', () => {
      if (opened.readyState === 2) renew();
    });
  }

  function refresh(identityToken?: string): Promise<Profile> {
    if (identityToken !== undefined) token = identityToken;
    current = ask();
    return current;
  }

  return {
    profile: () => current ?? refresh(),
    on(_event, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    close() {
      closed = true;
      if (refreshTimer !== undefined) clearInterval(refreshTimer);
      stream?.close();
      listeners.clear();
    },
  };
}
