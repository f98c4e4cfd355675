// The contacts API as a Fastify instance, built from injected parts so tests can drive it
// with app.inject() and real keys, and main can wire the real issuer.
import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { type LogDestination, logRequests, requestLogOptions } from '../shared/request-log.ts';
import { trustProxyOption } from '../shared/trusted-proxies.ts';
import { registerAuthHook } from './auth-hook.ts';
import { createAuthorizer, createDpopCheck } from './authorize.ts';
import type { ReplayCache } from './dpop-replay-cache.ts';
import { createListEtags } from './list-etag.ts';
import { registerOpenApi } from './openapi.ts';
import { createPageCache, type PageCache } from './page-cache.ts';
import { Problem } from './problem.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings, registerRateLimits } from './rate-limits.ts';
import { importContactRoutes } from './routes/import-contacts.ts';
import { readContactRoutes } from './routes/read-contacts.ts';
import { writeContactRoutes } from './routes/write-contacts.ts';
import { BODY_LIMIT } from './schemas.ts';
import { isDatabaseUnavailable } from './store/database-unavailable.ts';
import type { ContactStore } from './store/store.ts';
import { validatorCompiler } from './validation.ts';
import type { AccessTokenVerifier } from './verify-access-token.ts';

const RESPONSE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
} as const;

/** What a 503 for an unreachable database asks clients to wait (the pool reconnects per query). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface AppOptions {
  store: ContactStore;
  verifier: AccessTokenVerifier;
  /** Public base URL, for the OpenAPI document's `servers`. */
  publicUrl: string;
  /** Exact origins allowed to call from a browser (the SPA); never `*`. */
  corsOrigins: readonly string[];
  /**
   * Key for the DPoP nonces and the list ETags; shared by every worker and replica.
   * Default: random per process.
   */
  dpopNonceSecret?: string;
  /** DPoP proofs seen (dpop-replay-cache.ts); default this process's memory. */
  replayCache?: ReplayCache;
  /** Finished list and search pages per user (page-cache.ts); default one of 32 MB. */
  pageCache?: PageCache;
  /** Where one line per 5xx goes; default: the request log when on, else stderr. Never given headers or tokens. */
  logger?: { error(message: string): void };
  /** JSON request lines (shared/request-log.ts) to this destination; default none. */
  requestLog?: LogDestination;
  /** Per user and per address (rate-limits.ts); default DEFAULT_RATE_LIMITS, in this process. */
  rateLimits?: RateLimitSettings;
  /**
   * API_TRUSTED_PROXIES: addresses or CIDR ranges of the proxies in front of the API. Only a
   * request from one of them has its client address taken from X-Forwarded-For (the
   * address limit's key); from anyone else the header is ignored. Default none.
   */
  trustedProxies?: readonly string[];
  /**
   * GET /ready asks this: what keeps the API from serving (database, issuers' keys), or
   * nothing when ready. Default: always ready.
   */
  readiness?: () => Promise<string[]>;
}

export async function buildApp({
  store,
  verifier,
  publicUrl,
  corsOrigins,
  dpopNonceSecret,
  replayCache,
  pageCache = createPageCache(),
  logger,
  requestLog,
  readiness = async () => [],
  rateLimits = DEFAULT_RATE_LIMITS,
  trustedProxies = [],
}: AppOptions): Promise<FastifyInstance> {
  if (corsOrigins.some((origin) => origin === '*' || origin === 'null')) {
    throw new Error('corsOrigins must list exact origins, not "*" or "null"');
  }
  const allowed = new Set(corsOrigins);
  const serverSecret = dpopNonceSecret ?? randomBytes(32);
  const authorize = createAuthorizer(
    verifier,
    createDpopCheck(publicUrl, serverSecret, replayCache),
  );

  // IMPORTANT: Fastify's own request lines stay off: they carry the URL, which may hold
  // `?access_token=`, and error objects can carry headers. Ours (request-log.ts) log the
  // route pattern, status, duration, request id, issuer and subject; 5xx get one more line.
  const app = Fastify({
    ...(requestLog ? requestLogOptions(requestLog) : { logger: false }),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(trustedProxies),
  });
  const errorLog =
    logger ?? (requestLog ? { error: (line: string) => app.log.error(line) } : console);
  if (requestLog) {
    logRequests(app, (request) => ({
      iss: request.accessToken?.issuer,
      sub: request.accessToken?.subject,
    }));
  }
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: a text/plain body (Fastify parses it by default) is 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');

  await app.register(cors, {
    // A function, so an unlisted origin gets no CORS headers at all (a static list would
    // still approve methods and headers) and its preflight falls through to a 404.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], // writes arrive with contacts:write
    allowedHeaders: [
      'Authorization',
      'DPoP',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
    ],
    // Retry-After is not CORS-safelisted: unexposed, the SPA could not wait out a 429 or 503.
    exposedHeaders: [
      'ETag',
      'WWW-Authenticate',
      'DPoP-Nonce',
      'Location',
      'Idempotent-Replayed',
      'Retry-After',
    ],
    maxAge: 600,
  });

  // Once close() has begun (SIGTERM), each response still being finished closes its
  // connection: a kept-alive socket would otherwise hold the shutdown open until its
  // keep-alive timeout, and its client would send the next request to a closing server.
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // A callback hook, not an async one: no promise per response.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(RESPONSE_HEADERS);
    if (draining) reply.header('Connection', 'close');
    done(null, payload);
  });

  await registerOpenApi(app, publicUrl);
  // In this order: address counted before the token is checked, the user after it.
  const limits = await registerRateLimits(app, rateLimits);
  app.addHook('onRequest', limits.byAddress);
  registerAuthHook(app, authorize);
  app.addHook('onRequest', limits.byUser);

  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness; no token needed.',
        response: {
          200: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
        },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        summary: "Readiness: the database answers and every trusted issuer's keys are loaded.",
        response: {
          200: { type: 'object', properties: { status: { const: 'ready' } }, required: ['status'] },
          503: {
            type: 'object',
            properties: {
              status: { const: 'unavailable' },
              reasons: { type: 'array', items: { type: 'string' } },
            },
            required: ['status', 'reasons'],
          },
        },
      },
    },
    async (_request, reply) => {
      const reasons = await readiness();
      if (reasons.length === 0) return { status: 'ready' as const };
      return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reasons });
    },
  );
  readContactRoutes(app, store, pageCache, createListEtags(serverSecret));
  writeContactRoutes(app, store);
  importContactRoutes(app, store);

  app.setNotFoundHandler((_request, reply) => {
    // The URL is not echoed: it may carry a token.
    sendProblem(reply, new Problem(404, 'There is nothing at this path.'));
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof Problem) {
      if (err.status >= 500) errorLog.error(logLine(request.method, request.routeOptions.url, err));
      return sendProblem(reply, err);
    }
    const { statusCode, code } = (err ?? {}) as { statusCode?: unknown; code?: unknown };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      // Fastify's own client errors (bad JSON, wrong media type, too large). Only the code is
      // echoed: a message such as a JSON.parse error can quote the request body.
      const reason = typeof code === 'string' ? ` (${code})` : '';
      return sendProblem(
        reply,
        new Problem(statusCode, `The request was not understood${reason}.`),
      );
    }
    errorLog.error(logLine(request.method, request.routeOptions.url, err));
    if (isDatabaseUnavailable(err)) {
      // Nothing is lost: a write either committed or not; a retry with the same
      // Idempotency-Key gets the first answer or makes it once.
      return sendProblem(
        reply,
        new Problem(503, 'The database cannot be reached right now; try again shortly.', {
          headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
        }),
      );
    }
    return sendProblem(reply, new Problem(500, 'Something went wrong on our side.'));
  });

  return app;
}

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type('application/problem+json')
    .send(problem.toBody());
}

/** Route pattern, not the URL (which may hold `?access_token=`); messages, not objects. */
function logLine(method: string, route: string | undefined, err: unknown): string {
  const reasons: string[] = [];
  for (let e = err, depth = 0; e !== undefined && depth < 5; depth += 1) {
    if (!(e instanceof Error)) {
      reasons.push(String(e));
      break;
    }
    // System codes (ECONNREFUSED, ERR_JWKS_TIMEOUT) say more than messages like "fetch failed".
    const code = (e as NodeJS.ErrnoException).code;
    const systemCode = typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code) ? code : undefined;
    reasons.push(
      systemCode && !e.message.includes(systemCode) ? `${e.message} (${systemCode})` : e.message,
    );
    e = e.cause;
  }
  return `contacts API: ${method} ${route ?? '(no route)'} failed: ${reasons.join(': ')}`;
}
