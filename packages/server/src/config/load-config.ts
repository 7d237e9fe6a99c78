import type { IdentityRules } from '../identity/identity-rules.js';
import { loadIdentityRules } from '../identity/load-identity-rules.js';
import type { RateLimitSettings } from '../ingest/rate-limit.js';
import type { LogLevel } from '../ops/logger.js';
import { isLogLevel } from '../ops/logger.js';
import { defaultCacheMb } from '../storage/open-database.js';

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dbPath: string;
  /** SQLite's page cache, MiB: memory the server may hold to answer reads without the file. */
  readonly cacheMb: number;
  readonly writeKey: string | undefined;
  readonly adminToken: string | undefined;
  readonly publicUrl: string;
  readonly rateLimit: RateLimitSettings | undefined;
  readonly logLevel: LogLevel;
  /** From the `identity` section of WEFT_CONFIG (default ./weft.config.json, when present). */
  readonly identityRules: IdentityRules;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads the server's settings from the environment; every one has a default (see the README). */
export function loadConfig(env: Env = process.env): ServerConfig {
  const port = integer(env, 'PORT', 8787, 0, 65535);
  const rateLimit = integer(env, 'WEFT_RATE_LIMIT', 0, 0, Number.MAX_SAFE_INTEGER);
  const windowSeconds = integer(env, 'WEFT_RATE_LIMIT_WINDOW', 60, 1, 86400);
  const logLevel = text(env, 'WEFT_LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevel)) {
    throw new ConfigError(`WEFT_LOG_LEVEL must be debug, info, warn, error or silent, not "${logLevel}"`);
  }
  const publicUrl = text(env, 'WEFT_PUBLIC_URL') ?? `http://localhost:${port}`;
  if (!URL.canParse(publicUrl)) throw new ConfigError(`WEFT_PUBLIC_URL must be an absolute URL, not "${publicUrl}"`);
  return {
    port,
    host: text(env, 'WEFT_HOST') ?? '0.0.0.0',
    dbPath: text(env, 'WEFT_DB') ?? './data/weft.db',
    cacheMb: integer(env, 'WEFT_CACHE_MB', defaultCacheMb, 2, 65_536),
    writeKey: text(env, 'WEFT_WRITE_KEY'),
    adminToken: text(env, 'WEFT_ADMIN_TOKEN'),
    publicUrl,
    rateLimit: rateLimit > 0 ? { limit: rateLimit, windowMs: windowSeconds * 1000 } : undefined,
    logLevel,
    identityRules: loadIdentityRules(text(env, 'WEFT_CONFIG')),
  };
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
