// Test mode: the QA control API under /test-controls, mounted only when IDP_TEST_MODE=1 (else
// the paths do not exist: 404). Every call needs `Authorization: Bearer <per-run secret>`.
// IMPORTANT: no CORS at all, preflights refused, and requests that carry browser headers
// (Origin, Sec-Fetch-Site) refused, so no web page can drive these routes.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Revoked } from './account-admin.ts';
import { CONTACTS_SCOPES, ensureAccount, findUserByName } from './accounts.ts';
import {
  AUTHORIZATION_RESPONSE_FAULTS,
  type FaultTarget,
  ID_TOKEN_FAULTS,
  TOKEN_ENDPOINT_FAULTS,
} from './fault-kinds.ts';
import { clockShiftSeconds, shiftClock } from './test-clock.ts';
import type { TestMode } from './test-mode.ts';
import { setAccessTokenTtl } from './token-lifetimes.ts';

export const CONTROL_PREFIX = '/test-controls';
const MAX_BODY = 16_384;

export interface ControlActions {
  /** `staleJwksReads`: that many browser reads of the JWKS still get the keys before it. */
  rotateKeys(keepOld: boolean, staleJwksReads: number): Promise<{ kids: string[] }>;
  revokeUser(sub: string): Promise<Revoked>;
  revokeConsent(sub: string, clientId?: string): Promise<Revoked>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Handler = (body: Body, match: string[], query: URLSearchParams) => Promise<unknown> | unknown;

export function controlRoutes(mode: TestMode, actions: ControlActions): Middleware {
  const { faults, log } = mode;
  const secret = Buffer.from(mode.secret);

  const user = (name: string | undefined) => {
    const found = name ? findUserByName(name) : undefined;
    if (!found) throw new HttpError(404, `no seeded user "${name}"`);
    return found;
  };
  const times = (body: Body) => {
    const value = body.times ?? 1;
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new HttpError(400, 'times must be a whole number ≥ 1');
    return value as number;
  };
  const target = (body: Body): FaultTarget => {
    const raw = (body.target ?? {}) as FaultTarget;
    if (raw.user !== undefined) user(raw.user);
    if (raw.user === undefined && raw.client === undefined)
      throw new HttpError(400, 'target needs user and/or client');
    return {
      ...(raw.user ? { user: raw.user } : {}),
      ...(raw.client ? { client: raw.client } : {}),
    };
  };
  const oneOf = <T extends string>(allowed: readonly T[], value: unknown, name: string): T => {
    if (!allowed.includes(value as T))
      throw new HttpError(400, `${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  };

  const routes: [string, RegExp, Handler][] = [
    [
      'GET',
      /^\/$/,
      () => ({ testMode: true, clockShiftSeconds: clockShiftSeconds(), faults: faults.list() }),
    ],
    [
      'POST',
      /^\/keys\/rotate$/,
      (body) => {
        const stale = body.staleJwksReads ?? 0;
        if (!Number.isInteger(stale) || (stale as number) < 0)
          throw new HttpError(400, 'staleJwksReads must be a whole number ≥ 0');
        return actions.rotateKeys(body.keepOld !== false, stale as number);
      },
    ],
    [
      'POST',
      /^\/clock$/,
      (body) => {
        if (typeof body.shiftSeconds !== 'number')
          throw new HttpError(400, 'shiftSeconds must be a number');
        shiftClock(body.shiftSeconds);
        log.record({ event: 'clock-shift', detail: `${body.shiftSeconds}s` });
        return { clockShiftSeconds: clockShiftSeconds() };
      },
    ],
    [
      'POST',
      /^\/reset$/,
      () => {
        faults.clear();
        shiftClock(0);
        return { ok: true };
      },
    ],
    [
      'POST',
      /^\/faults\/token-endpoint$/,
      (body) => {
        const kind = oneOf(TOKEN_ENDPOINT_FAULTS, body.kind, 'kind');
        const spec = { kind, ...pick(body, ['delayMs', 'error', 'status']) };
        faults.arm('token-endpoint', target(body), spec, times(body));
        return { armed: spec };
      },
    ],
    [
      'POST',
      /^\/faults\/id-token$/,
      (body) => {
        const kind = oneOf(ID_TOKEN_FAULTS, body.kind, 'kind');
        const spec = { kind, ...pick(body, ['grant']) };
        faults.arm('id-token', target(body), spec, times(body));
        return { armed: spec };
      },
    ],
    [
      'POST',
      /^\/faults\/authorization-response$/,
      (body) => {
        const kind = oneOf(AUTHORIZATION_RESPONSE_FAULTS, body.kind, 'kind');
        const spec = { kind, ...pick(body, ['error']) };
        faults.arm('authorization-response', target(body), spec, times(body));
        return { armed: spec };
      },
    ],
    ['GET', /^\/users\/([^/]+)\/counters$/, (_b, [, name]) => log.counters(user(name).username)],
    ['GET', /^\/clients\/([^/]+)\/counters$/, (_b, [, id = '']) => log.counters(id, 'client')],
    [
      'GET',
      /^\/users\/([^/]+)\/log$/,
      (_b, [, name], query) => log.entries({ user: user(name).username, since: since(query) }),
    ],
    [
      'GET',
      /^\/log$/,
      (_b, _m, query) => ({ lastSeq: log.lastSeq, entries: log.entries({ since: since(query) }) }),
    ],
    [
      'POST',
      /^\/users\/([^/]+)\/revoke$/,
      async (_b, [, name]) => {
        const found = user(name);
        const revoked = await actions.revokeUser(found.sub);
        log.record(
          { user: found.username, event: 'controls:revoke-user', detail: JSON.stringify(revoked) },
          'revocations',
        );
        return revoked;
      },
    ],
    [
      'POST',
      /^\/users\/([^/]+)\/consent\/revoke$/,
      async (body, [, name]) => {
        const found = user(name);
        const client = typeof body.client === 'string' ? body.client : undefined;
        const revoked = await actions.revokeConsent(found.sub, client);
        log.record({
          user: found.username,
          event: 'controls:revoke-consent',
          detail: JSON.stringify(revoked),
        });
        return revoked;
      },
    ],
    [
      'POST',
      /^\/users\/([^/]+)\/access-token-ttl$/,
      (body, [, name]) => {
        const found = user(name);
        const seconds = body.seconds ?? null;
        if (seconds !== null && (!Number.isInteger(seconds) || (seconds as number) < 1))
          throw new HttpError(400, 'seconds must be a whole number ≥ 1, or null');
        setAccessTokenTtl(found.sub, seconds as number | null);
        return { accessTokenTtl: seconds };
      },
    ],
    [
      'POST',
      /^\/accounts$/,
      (body) => {
        const { username, password, name } = body;
        const entitlements = body.entitlements ?? CONTACTS_SCOPES;
        if (typeof username !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(username))
          throw new HttpError(400, 'username must be 1–63 of a–z, 0–9 and -');
        if (typeof password !== 'string' || password.length < 12)
          throw new HttpError(400, 'password must be at least 12 characters');
        if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
          throw new HttpError(400, 'name must be 1–200 characters');
        if (
          !Array.isArray(entitlements) ||
          !entitlements.every((scope) => CONTACTS_SCOPES.includes(scope))
        )
          throw new HttpError(400, `entitlements must be some of ${CONTACTS_SCOPES.join(', ')}`);
        const result = ensureAccount({ username, password, name, entitlements });
        if (!result.ok)
          throw new HttpError(
            409,
            result.reason === 'seeded'
              ? `"${username}" is a seeded user`
              : `"${username}" exists with another password`,
          );
        const { sub, email } = result.user;
        return { sub, username, name, email, entitlements, created: result.created };
      },
    ],
    [
      'POST',
      /^\/users\/([^/]+)\/reset$/,
      (_b, [, name]) => {
        const found = user(name);
        setAccessTokenTtl(found.sub, null);
        faults.clear(found.username);
        log.reset(found.username);
        return { ok: true };
      },
    ],
  ];

  return async (ctx, next) => {
    if (ctx.path !== CONTROL_PREFIX && !ctx.path.startsWith(`${CONTROL_PREFIX}/`)) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      if (ctx.method === 'OPTIONS')
        throw new HttpError(405, 'no preflights: the test controls are not for browsers');
      if (ctx.get('origin') || ctx.get('sec-fetch-site'))
        throw new HttpError(403, 'browsers may not call the test controls');
      const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
      if (!given) {
        ctx.set('WWW-Authenticate', 'Bearer realm="idp-test-controls"');
        throw new HttpError(401, 'the test controls need the per-run secret as a Bearer token');
      }
      const candidate = Buffer.from(given);
      if (candidate.length !== secret.length || !timingSafeEqual(candidate, secret)) {
        throw new HttpError(403, 'wrong test-control secret');
      }
      const sub = ctx.path.slice(CONTROL_PREFIX.length) || '/';
      const route = routes.find(([method, pattern]) => method === ctx.method && pattern.test(sub));
      if (!route) throw new HttpError(404, `no control ${ctx.method} ${sub}`);
      const body = ctx.method === 'POST' ? await readJson(ctx) : {};
      const match = (route[1].exec(sub) ?? []).map((part) => decodeURIComponent(part ?? ''));
      ctx.status = 200;
      ctx.body = (await route[2](body, match, ctx.URL.searchParams)) ?? { ok: true };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      ctx.status = error.status;
      ctx.body = { error: error.message };
    }
  };
}

function pick(body: Body, names: string[]): Body {
  return Object.fromEntries(
    names.filter((name) => body[name] !== undefined).map((n) => [n, body[n]]),
  );
}

function since(query: URLSearchParams): number | undefined {
  const value = Number(query.get('since'));
  return query.has('since') && Number.isInteger(value) ? value : undefined;
}

async function readJson(ctx: Context): Promise<Body> {
  // JSON only: a browser could send a "simple" form post without a preflight.
  if (!ctx.is('application/json')) throw new HttpError(415, 'send application/json');
  let text = '';
  ctx.req.setEncoding('utf8');
  for await (const chunk of ctx.req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new HttpError(413, 'body too large');
  }
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    return value as Body;
  } catch {
    throw new HttpError(400, 'body must be a JSON object');
  }
}
