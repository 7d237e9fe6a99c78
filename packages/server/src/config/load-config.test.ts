import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('has a default for every setting', () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      host: '0.0.0.0',
      database: { kind: 'sqlite', path: './data/weft.db' },
      cacheMb: 256,
      writeKey: undefined,
      writeKeyKind: 'client',
      adminToken: undefined,
      publicUrl: 'http://localhost:8787',
      rateLimit: undefined,
      logLevel: 'info',
      identityRules: DEFAULT_IDENTITY_RULES,
      timestamps: { maxFutureMs: 600_000, maxCorrectionMs: 2_592_000_000 },
      adminOrigins: [],
      metricsToken: undefined,
      timeouts: { headersMs: 10_000, bodyMs: 30_000, minBodyBytesPerSecond: 1024 },
      changeRetention: { eventsMs: 604_800_000, contactsMs: 7_776_000_000, holdMaxMs: 2_592_000_000 },
      audienceSweepMs: 30_000,
      webhookRetrySchedule: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      webhookAllowCidrs: [],
      personalize: { identitySecret: undefined, maxAgeSeconds: 0, streamCaps: { total: 2_000, perAddress: 20 } },
      sessionIdleMs: 28_800_000,
      leaseTtlMs: 30_000,
    });
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      PORT: '9000',
      WEFT_HOST: '127.0.0.1',
      WEFT_DB: '/var/lib/weft/weft.db',
      WEFT_CACHE_MB: '64',
      WEFT_WRITE_KEY: 'wk_x',
      WEFT_WRITE_KEY_KIND: 'server',
      WEFT_ADMIN_TOKEN: 'adm_y',
      WEFT_PUBLIC_URL: 'https://cdp.example.com',
      WEFT_RATE_LIMIT: '100',
      WEFT_RATE_LIMIT_WINDOW: '10',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_TIMESTAMP_TOLERANCE: '2m',
      WEFT_SKEW_CORRECTION_WINDOW: '7d',
      WEFT_ADMIN_ORIGINS: 'https://crm.example.com, http://localhost:3000',
      WEFT_METRICS_TOKEN: 'mt_scrape',
      WEFT_HEADERS_TIMEOUT: '5s',
      WEFT_BODY_TIMEOUT: '1m',
      WEFT_CHANGES_KEEP_EVENTS: '1d',
      WEFT_CHANGES_KEEP_CONTACTS: '30d',
      WEFT_CHANGES_HOLD_MAX: '2d',
      WEFT_AUDIENCE_SWEEP_EVERY: '5s',
      WEFT_WEBHOOK_RETRY_SCHEDULE: '1s, 10s,1m',
      WEFT_WEBHOOK_ALLOW_CIDRS: '10.0.0.0/8,fd00::/8',
      WEFT_IDENTITY_SECRET: 'a-secret-of-at-least-32-characters!',
      WEFT_PERSONALIZE_MAX_AGE: '30s',
      WEFT_PERSONALIZE_STREAMS: '500',
      WEFT_PERSONALIZE_STREAMS_PER_ADDRESS: '5',
      WEFT_SESSION_IDLE: '30m',
      WEFT_LEASE_TTL: '5s',
    });
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      database: { kind: 'sqlite', path: '/var/lib/weft/weft.db' },
      cacheMb: 64,
      writeKey: 'wk_x',
      writeKeyKind: 'server',
      adminToken: 'adm_y',
      publicUrl: 'https://cdp.example.com',
      rateLimit: { limit: 100, windowMs: 10_000 },
      logLevel: 'silent',
      identityRules: DEFAULT_IDENTITY_RULES,
      timestamps: { maxFutureMs: 120_000, maxCorrectionMs: 604_800_000 },
      adminOrigins: ['https://crm.example.com', 'http://localhost:3000'],
      metricsToken: 'mt_scrape',
      timeouts: { headersMs: 5_000, bodyMs: 60_000, minBodyBytesPerSecond: 1024 },
      changeRetention: { eventsMs: 86_400_000, contactsMs: 2_592_000_000, holdMaxMs: 172_800_000 },
      audienceSweepMs: 5_000,
      webhookRetrySchedule: [1_000, 10_000, 60_000],
      webhookAllowCidrs: ['10.0.0.0/8', 'fd00::/8'],
      personalize: {
        identitySecret: 'a-secret-of-at-least-32-characters!',
        maxAgeSeconds: 30,
        streamCaps: { total: 500, perAddress: 5 },
      },
      sessionIdleMs: 1_800_000,
      leaseTtlMs: 5_000,
    });
  });

  it('takes a PostgreSQL URL in WEFT_DB, with a pool size', () => {
    expect(loadConfig({ WEFT_DB: 'postgres://weft:hunter2@db/weft', WEFT_DB_POOL: '20' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://weft:hunter2@db/weft',
      poolSize: 20,
    });
    expect(loadConfig({ WEFT_DB: 'postgresql://db/weft' }).database).toMatchObject({ kind: 'postgres', poolSize: 10 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [
      { WEFT_DB: 'postgres://weft:hunter2@db:port/weft' },
      /^WEFT_DB is not a valid PostgreSQL URL \(postgres:\/\/\(not a valid URL\)\)$/,
    ],
    [{ WEFT_DB: 'postgres://db/weft', WEFT_DB_POOL: '1' }, /WEFT_DB_POOL must be an integer from 2 to 1000/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    [{ WEFT_RATE_LIMIT: '-1' }, /WEFT_RATE_LIMIT/],
    [{ WEFT_CACHE_MB: '1' }, /WEFT_CACHE_MB must be an integer from 2 to 65536, not "1"/],
    [{ WEFT_CACHE_MB: '0.5' }, /WEFT_CACHE_MB must be an integer/],
    [{ WEFT_LOG_LEVEL: 'loud' }, /WEFT_LOG_LEVEL/],
    [{ WEFT_PUBLIC_URL: 'cdp.example.com' }, /WEFT_PUBLIC_URL must be an absolute URL/],
    [{ WEFT_CONFIG: '/nowhere/weft.config.json' }, /WEFT_CONFIG names \/nowhere\/weft.config.json/],
    [{ WEFT_TIMESTAMP_TOLERANCE: '10' }, /WEFT_TIMESTAMP_TOLERANCE must be a duration such as 30s/],
    [{ WEFT_BODY_TIMEOUT: '0s' }, /WEFT_BODY_TIMEOUT must be a duration/],
    [
      { WEFT_ADMIN_ORIGINS: 'https://crm.example.com/' },
      /WEFT_ADMIN_ORIGINS: "https:\/\/crm.example.com\/" is not an origin/,
    ],
    [{ WEFT_ADMIN_ORIGINS: '*' }, /WEFT_ADMIN_ORIGINS: "\*" is not an origin/],
    [{ WEFT_IDENTITY_SECRET: 'short' }, /WEFT_IDENTITY_SECRET must be at least 32 characters/],
    [{ WEFT_WEBHOOK_RETRY_SCHEDULE: '5s,often' }, /WEFT_WEBHOOK_RETRY_SCHEDULE must be a comma list of durations/],
    [{ WEFT_WEBHOOK_ALLOW_CIDRS: '10.0.0.0' }, /WEFT_WEBHOOK_ALLOW_CIDRS: "10.0.0.0" is not a CIDR/],
  ])('names the setting that is wrong: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
