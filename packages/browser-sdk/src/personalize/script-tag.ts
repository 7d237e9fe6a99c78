// The script-tag build of personalization (dist/weft.personalize.min.js), loaded after weft.min.js:
// adds `weft.personalize(options)`, `weft.profile()` and `weft.on('profile', listener)` to
// `window.weft`, and asks again after each `identify` and `reset`.
import {
  createPersonalization,
  type Personalization,
  type PersonalizeOptions,
  type Profile,
} from './personalization.js';

type Weft = Record<string, (...args: unknown[]) => unknown> & {
  user?: () => { anonymousId: string; id?: string } | undefined;
};

const host = window as unknown as { weft?: Weft };
const weft = host.weft;
if (weft && !weft.personalize) {
  let client: Personalization | undefined;
  const waiting: ((profile: Profile) => void)[] = [];
  const visitor = () => weft.user?.() ?? { anonymousId: '' };
  for (const method of ['identify', 'reset']) {
    const original = weft[method];
    if (!original) continue;
    weft[method] = (...args: unknown[]) => {
      const result = original(...args);
      void Promise.resolve(result).then(() => client?.refresh());
      return result;
    };
  }
  weft.personalize = (options) => {
    client ??= createPersonalization(visitor, options as PersonalizeOptions);
    for (const listener of waiting.splice(0)) client.on('profile', listener);
    return client.profile();
  };
  weft.profile = () => client?.profile() ?? Promise.resolve({ audiences: [], traits: {}, computed: {} });
  weft.on = (event, listener) => {
    if (event !== 'profile') return () => undefined;
    if (client) return client.on('profile', listener as (profile: Profile) => void);
    waiting.push(listener as (profile: Profile) => void);
    return () => undefined;
  };
}
