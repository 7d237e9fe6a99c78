import type { AuditLog, NewAuditEntry } from './user-store.js';

/** The actor of what the admin API does: the token names no person. */
export const apiActor = 'admin token';
/** …and of what `weft-server users` does on the server's own machine. */
export const cliActor = 'cli';

/** Records a sensitive action done with the admin token (the UI's own is ui/audit-actor.ts). */
export function auditFromApi(audit: Pick<AuditLog, 'record'>, entry: Omit<NewAuditEntry, 'actor'>): Promise<void> {
  return audit.record({ ...entry, actor: apiActor });
}
