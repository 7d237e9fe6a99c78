import { loadConfig } from '../config/load-config.js';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createIdentityCounters } from '../identity/resolve-identity.js';
import { createServerPipeline } from '../ingest/server-pipeline.js';
import { createPrivacyCounters } from '../privacy/privacy-counters.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/store.js';

/**
 * The store a command works on: `--db` when given, else WEFT_DB as the server reads it (a SQLite
 * file or a postgres:// URL). Closed by the caller (`store.events.close()`).
 */
export async function openCliStore(db: string | undefined, env: Record<string, string | undefined>): Promise<Store> {
  const config = loadConfig({ ...env, ...(db === undefined ? {} : { WEFT_DB: db }) });
  const rules = DEFAULT_IDENTITY_RULES;
  const opened = await openStore(config.database, {
    pipeline: createServerPipeline({
      rules,
      counters: { identity: createIdentityCounters(), privacy: createPrivacyCounters() },
    }),
    rules,
    now: Date.now,
    cacheMb: config.cacheMb,
    onConnectionError: () => undefined,
  });
  return opened.store;
}
