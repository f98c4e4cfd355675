// Request rate limits (@fastify/rate-limit): one counter per client address, checked before
// the token is verified (so a flood of bad tokens costs no signature checks beyond the
// limit), and one per authenticated subject, checked after it. Over a limit: 429
// problem+json with Retry-After. Public routes (health and readiness probes of a load
// balancer, the OpenAPI document) are not counted.
// The counters live in this process unless a Redis client is given: with several processes
// or replicas each would otherwise allow the limit on its own.
import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { Problem } from './problem.ts';

/**
 * What @fastify/rate-limit's Redis store uses of an ioredis client (it defines two Lua
 * commands on it and calls them), so an `ioredis` `Redis` or `Cluster` can be passed as is.
 * IMPORTANT: give it a client with `enableOfflineQueue: false`; a Redis error then answers
 * 500 rather than letting requests wait or pass unchecked.
 */
export interface RateLimitRedis {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): unknown;
}

export interface RateLimitSettings {
  /** Requests per window per (issuer, subject) of a valid token; 0 turns it off. */
  perUser: number;
  /** Requests per window per client address (IPv6: per /64); 0 turns it off. */
  perAddress: number;
  windowSeconds: number;
  /** Shared counters for several processes; default: in this process. */
  redis?: RateLimitRedis;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  // 10 a second on average: far above what one person's SPA sends (a list, a search per
  // keystroke pause, a save), low enough that one token cannot monopolise a process.
  perUser: 600,
  // Many users can share an address (an office behind NAT), so 5 users' worth.
  perAddress: 3000,
  windowSeconds: 60,
};

/** Each process keeps at most this many counters per limiter (least recently used go). */
const COUNTERS_PER_PROCESS = 50_000;

export interface RateLimitHooks {
  /** Before the auth hook: counts every non-public request by its address. */
  byAddress: onRequestHookHandler;
  /** After the auth hook: counts requests that carried a valid token by its subject. */
  byUser: onRequestHookHandler;
}

export async function registerRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings,
): Promise<RateLimitHooks> {
  await app.register(rateLimit, {
    global: false, // no per-route hooks: the two hooks below are added by the app, in order
    nameSpace: 'contacts-rate-limit-',
    // A Redis out of reach lets requests through uncounted: the limits guard capacity, and
    // what must never pass unchecked (a DPoP proof's replay) answers 503 on its own.
    ...(settings.redis ? { redis: settings.redis, skipOnError: true } : {}),
  });
  const timeWindow = settings.windowSeconds * 1000;
  // Keys carry a prefix: both limiters share one Redis namespace.
  const limiter = (max: number, key: (request: FastifyRequest) => string | undefined) => {
    if (max <= 0) return undefined;
    const check = app.createRateLimit({
      max,
      timeWindow,
      keyGenerator: (request) => key(request) ?? '',
      // Read by the in-process store (RateLimitOptions.cache); not in CreateRateLimitOptions' type.
      ...({ cache: COUNTERS_PER_PROCESS } as object),
    });
    return async (request: FastifyRequest, what: string) => {
      if (request.routeOptions.config.public === true || key(request) === undefined) return;
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      throw tooManyRequests(what, max, settings.windowSeconds, result.ttlInSeconds);
    };
  };
  const address = limiter(settings.perAddress, (request) => `a:${normalizeIP(request.ip)}`);
  const user = limiter(settings.perUser, (request) => {
    const token = request.accessToken;
    if (!token) return undefined;
    // Hashed: a fixed-length key whatever the subject's length, and no subject in Redis.
    const owner = createHash('sha256').update(`${token.issuer}\u0000${token.subject}`);
    return `u:${owner.digest('base64url')}`;
  });
  const hook =
    (check: typeof address, what: string): onRequestHookHandler =>
    (request, _reply, done) => {
      if (!check) return done();
      check(request, what).then(() => done(), done);
    };
  return {
    byAddress: hook(address, 'from your address'),
    byUser: hook(user, 'for your account'),
  };
}

function tooManyRequests(what: string, max: number, windowSeconds: number, retryAfter: number) {
  const seconds = Math.max(1, retryAfter);
  return new Problem(
    429,
    `Too many requests ${what} (more than ${max} in ${windowSeconds} s). Try again in ${seconds} s.`,
    { headers: { 'Retry-After': String(seconds) } },
  );
}
