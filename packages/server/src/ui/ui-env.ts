import type { AppEnv } from '../http/app-env.js';
import type { Session, User } from '../users/user-store.js';

/** What a page handler finds on its context once ui/session-auth.ts has let it through. */
export interface UiEnv {
  Variables: AppEnv['Variables'] & {
    user: User;
    session: Session;
  };
}

/** Who is looking, as the layout needs it: the user and their session, from a page's context. */
export function viewerOf(c: { get(key: 'user'): User; get(key: 'session'): Session }): {
  user: User;
  session: Session;
} {
  return { user: c.get('user'), session: c.get('session') };
}
