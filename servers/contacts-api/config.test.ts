import { describe, expect, it } from 'vitest';
import { readApiConfig } from './config.ts';

const production = {
  NODE_ENV: 'production',
  API_PUBLIC_URL: 'https://api.example.com',
  SPA_PUBLIC_URL: 'https://app.example.com',
  TRUSTED_ISSUERS: 'https://login.example.com',
};

describe('readApiConfig', () => {
  it("keeps today's defaults: localhost, the local IdP, the demo seed", () => {
    const config = readApiConfig({});
    expect(config).toMatchObject({
      url: 'http://localhost:4001',
      host: 'localhost',
      resource: 'http://localhost:4001',
      trustedIssuers: ['http://localhost:4000'],
      corsOrigins: ['http://localhost:5173'],
      seedDemo: true,
    });
  });

  it('sizes the PostgreSQL pool with DATABASE_POOL_SIZE, refusing anything but a small count', () => {
    expect(readApiConfig({}).databasePoolSize).toBeUndefined();
    expect(readApiConfig({ DATABASE_POOL_SIZE: '4' }).databasePoolSize).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'ten', '1000', '04']) {
      expect(() => readApiConfig({ DATABASE_POOL_SIZE: bad })).toThrow(
        `DATABASE_POOL_SIZE must be a whole number from 1 to 999, got "${bad}"`,
      );
    }
  });

  it('bounds waiting for PostgreSQL with DATABASE_TIMEOUT_MS (default 5 s)', () => {
    expect(readApiConfig({}).databaseTimeoutMs).toBe(5_000);
    expect(readApiConfig({ DATABASE_TIMEOUT_MS: '1500' }).databaseTimeoutMs).toBe(1_500);
    for (const bad of ['0', '99', '-1', '2.5', 'never']) {
      expect(() => readApiConfig({ DATABASE_TIMEOUT_MS: bad })).toThrow(
        `DATABASE_TIMEOUT_MS must be a whole number of at least 100, got "${bad}"`,
      );
    }
  });

  it('puts the contacts on PostgreSQL with DATABASE_URL, and on SQLite without it', () => {
    expect(readApiConfig({}).databaseUrl).toBeUndefined();
    const url = 'postgres://contacts:s3cret@db.internal:5432/contacts';
    const one = { API_SINGLE_PROCESS: '1' }; // see "shared state" below
    expect(readApiConfig({ ...one, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(readApiConfig({ ...one, DATABASE_URL: 'postgresql://db/contacts' }).databaseUrl).toBe(
      'postgresql://db/contacts',
    );
    for (const bad of ['mysql://u:s3cret@db/contacts', 'contacts.sqlite']) {
      expect(() => readApiConfig({ DATABASE_URL: bad })).toThrow(
        /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/, // never echoes a password
      );
    }
  });

  it('takes its resource, CORS origin and issuer from the public URLs, never the port', () => {
    const config = readApiConfig({
      API_PORT: '4201',
      API_HOST: '127.0.0.1',
      API_PUBLIC_URL: 'https://api.contacts.test:8443',
      SPA_PUBLIC_URL: 'https://app.contacts.test:8443',
      IDP_ISSUER: 'https://login.idp.test:8443',
    });
    expect(config).toMatchObject({
      port: 4201,
      host: '127.0.0.1',
      url: 'https://api.contacts.test:8443',
      resource: 'https://api.contacts.test:8443',
      corsOrigins: ['https://app.contacts.test:8443'],
      trustedIssuers: ['https://login.idp.test:8443'],
    });
  });

  it('runs in production with an external https issuer, without the demo seed', () => {
    const config = readApiConfig(production);
    expect(config).toMatchObject({
      url: 'https://api.example.com',
      trustedIssuers: ['https://login.example.com'],
      corsOrigins: ['https://app.example.com'],
      seedDemo: false,
    });
  });

  it.each([
    [
      'no TRUSTED_ISSUERS (the test IdP)',
      { TRUSTED_ISSUERS: '' },
      /^TRUSTED_ISSUERS must name your provider's issuer in production/,
    ],
    [
      'an http issuer',
      { TRUSTED_ISSUERS: 'https://a.example.com,http://login.example.com' },
      /^TRUSTED_ISSUERS must be https in production.*"http:\/\/login\.example\.com"/,
    ],
    [
      'an http CORS origin',
      { CORS_ORIGINS: 'http://app.example.com' },
      /^CORS_ORIGINS must be https in production/,
    ],
    [
      'an http public URL',
      { API_PUBLIC_URL: 'http://api.example.com' },
      /^API_PUBLIC_URL must be https in production/,
    ],
    ['the scale seed', { SEED_SCALE_CONTACTS: 'alice' }, /^SEED_SCALE_CONTACTS \(demo data\)/],
    [
      'workers without a shared nonce secret',
      { API_WORKERS: '4' },
      /^DPOP_NONCE_SECRET must be set in production .* when API_WORKERS is more than 1/,
    ],
  ])('refuses %s in production, naming the setting', (_what, more, message) => {
    expect(() => readApiConfig({ ...production, ...more })).toThrow(message);
  });

  it('accepts several workers in production with a shared nonce secret, and loopback http', () => {
    const config = readApiConfig({
      ...production,
      API_WORKERS: '4',
      REDIS_URL: 'redis://cache.internal:6379',
      DPOP_NONCE_SECRET: 'a-long-shared-secret-for-every-worker',
      TRUSTED_ISSUERS: 'http://localhost:8080/realms/corp',
    });
    expect(config.workers).toBe(4);
    expect(config.dpopNonceSecret).toBe('a-long-shared-secret-for-every-worker');
  });

  it('allows http, the scale seed and workers without a secret outside production', () => {
    const config = readApiConfig({
      TRUSTED_ISSUERS: 'http://login.example.com',
      SEED_SCALE_CONTACTS: 'sam',
      API_WORKERS: '2',
      REDIS_URL: 'redis://localhost:6379',
    });
    expect(config.workers).toBe(2);
  });

  describe('shared state: per process only when exactly one API process exists', () => {
    it('keeps the replay cache in the process by default (SQLite, one worker)', () => {
      expect(readApiConfig({})).toMatchObject({
        redisUrl: undefined,
        redisKeyPrefix: 'contacts-api:',
        redisNoEvictionConfirmed: false,
        dpopProofsPerMinute: 600,
      });
    });

    it('reads REDIS_URL, its key prefix, the eviction override and the proof bound', () => {
      const config = readApiConfig({
        REDIS_URL: 'rediss://:s3cret@cache.internal:6380/2',
        REDIS_KEY_PREFIX: 'contacts-api:prod:',
        REDIS_NOEVICTION_CONFIRMED: '1',
        DPOP_PROOFS_PER_MINUTE: '120',
      });
      expect(config).toMatchObject({
        redisUrl: 'rediss://:s3cret@cache.internal:6380/2',
        redisKeyPrefix: 'contacts-api:prod:',
        redisNoEvictionConfirmed: true,
        dpopProofsPerMinute: 120,
      });
    });

    it.each([
      [
        { REDIS_URL: 'http://:s3cret@cache:6379' },
        /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/,
      ],
      [{ REDIS_URL: 'cache:6379' }, /^REDIS_URL must be/],
      [{ REDIS_KEY_PREFIX: 'has space' }, /^REDIS_KEY_PREFIX must be 1 to 64/],
      [{ REDIS_KEY_PREFIX: 'x'.repeat(65) }, /^REDIS_KEY_PREFIX must be 1 to 64/],
      [{ REDIS_NOEVICTION_CONFIRMED: 'yes' }, /^REDIS_NOEVICTION_CONFIRMED must be 1, true, 0/],
      [{ DPOP_PROOFS_PER_MINUTE: '0' }, /^DPOP_PROOFS_PER_MINUTE must be a whole number/],
      [
        { API_SINGLE_PROCESS: 'on', DATABASE_URL: 'postgres://db/c' },
        /^API_SINGLE_PROCESS must be/,
      ],
    ])('refuses %o, naming the setting (never echoing a password)', (env, message) => {
      expect(() => readApiConfig(env)).toThrow(message);
      expect(() => readApiConfig(env)).not.toThrow(/s3cret/);
    });

    it('refuses several workers without REDIS_URL, even when told it is one process', () => {
      expect(() => readApiConfig({ API_WORKERS: '2' })).toThrow(
        /^REDIS_URL must be set when API_WORKERS is more than 1/,
      );
      expect(() => readApiConfig({ API_WORKERS: '2', API_SINGLE_PROCESS: '1' })).toThrow(
        /^REDIS_URL must be set .*API_SINGLE_PROCESS cannot be true with several workers/,
      );
      expect(readApiConfig({ API_WORKERS: '2', REDIS_URL: 'redis://cache' }).workers).toBe(2);
    });

    it('on PostgreSQL (what replicas share) needs REDIS_URL or API_SINGLE_PROCESS=1', () => {
      const postgres = { DATABASE_URL: 'postgres://db.internal/contacts' };
      expect(() => readApiConfig(postgres)).toThrow(
        /^REDIS_URL must be set with DATABASE_URL .*or API_SINGLE_PROCESS=1/,
      );
      expect(readApiConfig({ ...postgres, API_SINGLE_PROCESS: '1' }).redisUrl).toBeUndefined();
      expect(readApiConfig({ ...postgres, API_SINGLE_PROCESS: 'true' }).redisUrl).toBeUndefined();
      expect(readApiConfig({ ...postgres, REDIS_URL: 'redis://cache' }).redisUrl).toBe(
        'redis://cache',
      );
      // A command-line tool on the same settings (seed:scale) keeps no replay cache.
      expect(readApiConfig(postgres, { serving: false }).databaseUrl).toBe(postgres.DATABASE_URL);
    });
  });

  it('reads the per-user quotas, 50,000 contacts and 10,000 keys by default', () => {
    expect(readApiConfig({}).quotas).toEqual({ contacts: 50_000, idempotencyKeys: 10_000 });
    expect(
      readApiConfig({ API_MAX_CONTACTS_PER_USER: '100', API_MAX_IDEMPOTENCY_KEYS_PER_USER: '5' })
        .quotas,
    ).toEqual({ contacts: 100, idempotencyKeys: 5 });
    expect(() => readApiConfig({ API_MAX_CONTACTS_PER_USER: '0' })).toThrow(
      'API_MAX_CONTACTS_PER_USER must be a whole number of at least 1, got "0"',
    );
  });

  it('reads the rate limits and the trusted proxies, naming a bad entry', () => {
    expect(readApiConfig({}).rateLimits).toEqual({
      perUser: 600,
      perAddress: 3000,
      windowSeconds: 60,
    });
    expect(readApiConfig({}).trustedProxies).toEqual([]);
    const set = readApiConfig({
      API_RATE_LIMIT_PER_USER: '0',
      API_RATE_LIMIT_PER_ADDRESS: '10',
      API_RATE_LIMIT_WINDOW_SECONDS: '1',
      API_TRUSTED_PROXIES: '10.0.0.0/8, ::1, loopback',
    });
    expect(set.rateLimits).toEqual({ perUser: 0, perAddress: 10, windowSeconds: 1 });
    expect(set.trustedProxies).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(() => readApiConfig({ API_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      'API_TRUSTED_PROXIES must list IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), got "10.0.0.0/33"',
    );
    expect(() => readApiConfig({ API_TRUSTED_PROXIES: '*' })).toThrow('got "*"');
  });
});
