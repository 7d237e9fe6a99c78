import type { AppEnv } from '../http/app-env.js';
import type { Session, User } from '../users/user-store.js';

/** What a page handler finds on its context once ui/session-auth.ts has let it through. */
export interface UiEnv {
  Variables: AppEnv['Variables'] & {
    user: User;
    session: Session;
  };
}
