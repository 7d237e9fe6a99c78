import type { Context } from 'hono';
import type { AuditLog, NewAuditEntry } from '../users/user-store.js';
import type { UiEnv } from './ui-env.js';

/** Records a sensitive action done from the UI, by the user logged in. */
export function auditFromUi(audit: AuditLog, c: Context<UiEnv>, entry: Omit<NewAuditEntry, 'actor'>): Promise<void> {
  return audit.record({ ...entry, actor: c.get('user').email });
}
