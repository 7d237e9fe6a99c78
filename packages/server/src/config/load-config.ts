import { isWriteKeyKind, type WriteKeyKind } from '../auth/secrets.js';
import { type ChangeRetention, defaultChangeRetention } from '../changes/change-pruner.js';
import { defaultRequestTimeouts, type RequestTimeouts } from '../http/request-timeouts.js';
import type { IdentityRules } from '../identity/identity-rules.js';
import { loadIdentityRules } from '../identity/load-identity-rules.js';
import { defaultTimestampPolicy, type TimestampPolicy } from '../ingest/clock-skew.js';
import type { RateLimitSettings } from '../ingest/rate-limit.js';
import type { LogLevel } from '../ops/logger.js';
import { isLogLevel } from '../ops/logger.js';
import type { PersonalizeSettings } from '../personalize/personalize-settings.js';
import { DEFAULT_STREAM_CAPS } from '../personalize/stream-caps.js';
import { isPostgresUrl, redactPostgresUrl } from '../storage/postgres/postgres-url.js';
import { defaultCacheMb } from '../storage/sqlite/open-database.js';
import { defaultSessionTiming } from '../ui/ui-settings.js';
import { defaultRetrySchedule, parseRetrySchedule } from '../webhooks/retry-schedule.js';
import { parseCidrList } from '../webhooks/ssrf-guard.js';
import { parseDuration } from './duration.js';

/** Where the server keeps everything: a SQLite file (the default), or a PostgreSQL database several servers share. */
export type DatabaseSetting =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** WEFT_DB: a file path, or a postgres:// URL (WEFT_DB_POOL connections per server). */
  readonly database: DatabaseSetting;
  /** SQLite's page cache, MiB: memory the server may hold to answer reads without the file. */
  readonly cacheMb: number;
  readonly writeKey: string | undefined;
  /** The kind WEFT_WRITE_KEY is seeded as: client (default) or server. */
  readonly writeKeyKind: WriteKeyKind;
  readonly adminToken: string | undefined;
  readonly publicUrl: string;
  readonly rateLimit: RateLimitSettings | undefined;
  readonly logLevel: LogLevel;
  /** From the `identity` section of WEFT_CONFIG (default ./weft.config.json, when present). */
  readonly identityRules: IdentityRules;
  /** How far ahead an event may be timestamped, and the skew-correction window. */
  readonly timestamps: TimestampPolicy;
  /** Origins whose pages may call the admin routes; none by default (no CORS on them). */
  readonly adminOrigins: readonly string[];
  /** A token for /metrics only; unset, /metrics takes an admin token alone. */
  readonly metricsToken: string | undefined;
  /** How long a client may take to send its request headers, and then its body. */
  readonly timeouts: RequestTimeouts;
  /** How long the change feed keeps changes, and waits for consumers. */
  readonly changeRetention: ChangeRetention;
  /** How often the audience sweeper evaluates contacts whose windows have moved (WEFT_AUDIENCE_SWEEP_EVERY). */
  readonly audienceSweepMs: number;
  /**
   * How long a server's hold on shared background work (an endpoint's deliveries, a backfill) lasts
   * unrenewed (WEFT_LEASE_TTL): after a crash, how long before another server takes the work over.
   */
  readonly leaseTtlMs: number;
  /** Delays after each failed webhook attempt (WEFT_WEBHOOK_RETRY_SCHEDULE). */
  readonly webhookRetrySchedule: readonly number[];
  /** Addresses webhooks may reach although the SSRF guard blocks their range (WEFT_WEBHOOK_ALLOW_CIDRS). */
  readonly webhookAllowCidrs: readonly string[];
  /** `GET /v1/personalize` (WEFT_IDENTITY_SECRET, WEFT_PERSONALIZE_MAX_AGE, WEFT_PERSONALIZE_STREAMS[_PER_ADDRESS]). */
  readonly personalize: PersonalizeSettings;
  /** How long a web UI session may sit unused (WEFT_SESSION_IDLE). */
  readonly sessionIdleMs: number;
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
    database: databaseOf(env),
    cacheMb: integer(env, 'WEFT_CACHE_MB', defaultCacheMb, 2, 65_536),
    writeKey: text(env, 'WEFT_WRITE_KEY'),
    writeKeyKind: writeKeyKindOf(env),
    adminToken: text(env, 'WEFT_ADMIN_TOKEN'),
    publicUrl,
    rateLimit: rateLimit > 0 ? { limit: rateLimit, windowMs: windowSeconds * 1000 } : undefined,
    logLevel,
    identityRules: loadIdentityRules(text(env, 'WEFT_CONFIG')),
    timestamps: {
      maxFutureMs: duration(env, 'WEFT_TIMESTAMP_TOLERANCE', defaultTimestampPolicy.maxFutureMs),
      maxCorrectionMs: duration(env, 'WEFT_SKEW_CORRECTION_WINDOW', defaultTimestampPolicy.maxCorrectionMs),
    },
    adminOrigins: origins(env, 'WEFT_ADMIN_ORIGINS'),
    metricsToken: text(env, 'WEFT_METRICS_TOKEN'),
    timeouts: {
      headersMs: duration(env, 'WEFT_HEADERS_TIMEOUT', defaultRequestTimeouts.headersMs),
      bodyMs: duration(env, 'WEFT_BODY_TIMEOUT', defaultRequestTimeouts.bodyMs),
      minBodyBytesPerSecond: defaultRequestTimeouts.minBodyBytesPerSecond,
    },
    changeRetention: {
      eventsMs: duration(env, 'WEFT_CHANGES_KEEP_EVENTS', defaultChangeRetention.eventsMs),
      contactsMs: duration(env, 'WEFT_CHANGES_KEEP_CONTACTS', defaultChangeRetention.contactsMs),
      holdMaxMs: duration(env, 'WEFT_CHANGES_HOLD_MAX', defaultChangeRetention.holdMaxMs),
    },
    audienceSweepMs: duration(env, 'WEFT_AUDIENCE_SWEEP_EVERY', 30_000),
    leaseTtlMs: duration(env, 'WEFT_LEASE_TTL', 30_000),
    webhookRetrySchedule: retrySchedule(env),
    webhookAllowCidrs: allowCidrs(env),
    personalize: personalizeSettings(env),
    sessionIdleMs: duration(env, 'WEFT_SESSION_IDLE', defaultSessionTiming.idleMs),
  };
}

function personalizeSettings(env: Env): PersonalizeSettings {
  const identitySecret = text(env, 'WEFT_IDENTITY_SECRET');
  // It signs proofs of who a page speaks for: as strong as a write key's 256 bits, or near.
  if (identitySecret !== undefined && identitySecret.length < 32) {
    throw new ConfigError('WEFT_IDENTITY_SECRET must be at least 32 characters (e.g. openssl rand -base64 32)');
  }
  return {
    identitySecret,
    maxAgeSeconds: Math.floor(duration(env, 'WEFT_PERSONALIZE_MAX_AGE', 0) / 1000),
    streamCaps: {
      total: integer(env, 'WEFT_PERSONALIZE_STREAMS', DEFAULT_STREAM_CAPS.total, 0, 1_000_000),
      perAddress: integer(env, 'WEFT_PERSONALIZE_STREAMS_PER_ADDRESS', DEFAULT_STREAM_CAPS.perAddress, 0, 1_000_000),
    },
  };
}

function retrySchedule(env: Env): readonly number[] {
  const raw = text(env, 'WEFT_WEBHOOK_RETRY_SCHEDULE');
  if (raw === undefined) return defaultRetrySchedule;
  const schedule = parseRetrySchedule(raw);
  if (!schedule) {
    throw new ConfigError(
      `WEFT_WEBHOOK_RETRY_SCHEDULE must be a comma list of durations such as 5s,5m,30m, not "${raw}"`,
    );
  }
  return schedule;
}

function allowCidrs(env: Env): readonly string[] {
  try {
    return parseCidrList(text(env, 'WEFT_WEBHOOK_ALLOW_CIDRS') ?? '');
  } catch (error) {
    throw new ConfigError(`WEFT_WEBHOOK_ALLOW_CIDRS: ${(error as Error).message}`);
  }
}

function writeKeyKindOf(env: Env): WriteKeyKind {
  const raw = text(env, 'WEFT_WRITE_KEY_KIND') ?? 'client';
  if (!isWriteKeyKind(raw)) throw new ConfigError(`WEFT_WRITE_KEY_KIND must be client or server, not "${raw}"`);
  return raw;
}

function duration(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < 1) {
    throw new ConfigError(`${name} must be a duration such as 30s, 10m or 2h, not "${raw}"`);
  }
  return ms;
}

/** A comma-separated list of origins (`https://crm.example.com`), each with a scheme and a host. */
function origins(env: Env, name: string): string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(
        `${name}: "${origin}" is not an origin such as https://crm.example.com (no path, no slash)`,
      );
    }
    return origin;
  });
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

/**
 * WEFT_DB: a SQLite file, or a postgres:// URL. A URL that does not parse is refused with its
 * password hidden, never opened as a file of that name.
 */
function databaseOf(env: Env): DatabaseSetting {
  const value = text(env, 'WEFT_DB') ?? './data/weft.db';
  if (!isPostgresUrl(value)) return { kind: 'sqlite', path: value };
  if (!URL.canParse(value)) {
    throw new ConfigError(`WEFT_DB is not a valid PostgreSQL URL (${redactPostgresUrl(value)})`);
  }
  return { kind: 'postgres', url: value, poolSize: integer(env, 'WEFT_DB_POOL', 10, 2, 1000) };
}
