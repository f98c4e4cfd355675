// Test mode: faults at the token endpoint, as a Koa middleware before the provider's routes.
// Before the provider: connection dropped, 503, slow, OAuth errors. After it: the answer of a
// refresh that was carried out held and never sent (lost-answer), or the ID token in the JSON
// response replaced by a broken one. A token request names no user, so the user
// is looked up from the code or refresh token it carries (without consuming it).
import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Provider } from 'oidc-provider';
import { findUser } from './accounts.ts';
import type { Requester } from './fault-book.ts';
import type { TokenEndpointFaultSpec } from './fault-kinds.ts';
import { breakIdToken } from './id-token-faults.ts';
import { oidcOf } from './koa-oidc.ts';
import type { TestMode } from './test-mode.ts';

const MAX_BODY = 56 * 1024; // oidc-provider's own limit

// Browsers resend a request whose reused keep-alive connection dropped before any answer
// (Chromium does, even for POST). A dropped request stays dropped for a few seconds, so one
// 'drop' fault means one failed request as the app sees it, not a silently retried one.
const RETRY_WINDOW_MS = 5000;

export function tokenFaults(mode: TestMode, provider: () => Provider): Middleware {
  const { faults, log } = mode;
  const dropped = new Map<string, number>();
  return async (ctx, next) => {
    if (ctx.path !== '/token' || ctx.method !== 'POST') return next();
    if (faults.any('token-endpoint') || dropped.size > 0) {
      const params = await readParams(ctx);
      const credential = credentialOf(params);
      for (const [key, until] of dropped) if (until < Date.now()) dropped.delete(key);
      if (credential && dropped.has(credential))
        return serve(ctx, { kind: 'drop' }, mode.spaOrigin);
      const who = await requesterOf(provider(), params);
      const refresh = params.get('grant_type') === 'refresh_token';
      const fault = faults.take(
        'token-endpoint',
        who,
        (spec) => spec.kind !== 'lost-answer' || refresh,
      );
      if (fault?.kind === 'lost-answer') {
        await next();
        // Counted once the grant was carried out: the test knows the old token is spent.
        log.record({ ...who, event: `fault:token-endpoint:${fault.kind}` }, 'faultsServed');
        return loseAnswer(ctx, fault.delayMs ?? 30_000);
      }
      if (fault) {
        log.record({ ...who, event: `fault:token-endpoint:${fault.kind}` }, 'faultsServed');
        if (fault.kind === 'drop' && credential)
          dropped.set(credential, Date.now() + RETRY_WINDOW_MS);
        if (fault.kind === 'slow') await sleep(fault.delayMs ?? 5000);
        else return serve(ctx, fault, mode.spaOrigin);
      }
    }
    await next();
    if (!faults.any('id-token')) return;
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.status !== 200 || typeof body?.id_token !== 'string') return;
    const grant = oidcOf(ctx)?.params?.grant_type;
    const who = {
      user: findUser(oidcOf(ctx)?.entities.Account?.accountId)?.username,
      client: oidcOf(ctx)?.client?.clientId,
    };
    const fault = faults.take('id-token', who, (spec) =>
      spec.kind === 'different-sub'
        ? grant === 'refresh_token'
        : spec.grant === undefined || spec.grant === grant,
    );
    if (!fault) return;
    body.id_token = await breakIdToken(body.id_token, fault.kind, mode.signingKeys());
    log.record(
      { ...who, event: `fault:id-token:${fault.kind}`, detail: `${grant}` },
      'faultsServed',
    );
  };
}

function serve(ctx: Context, fault: TokenEndpointFaultSpec, spaOrigin: string) {
  if (fault.kind === 'drop') {
    // As if the IdP went away mid-request: no status, no body (the browser sees a network error).
    ctx.respond = false;
    ctx.req.socket.destroy();
    return;
  }
  const error =
    fault.kind === '503' ? 'temporarily_unavailable' : (fault.error ?? 'temporarily_unavailable');
  const status =
    fault.kind === '503'
      ? 503
      : (fault.status ?? (error === 'temporarily_unavailable' ? 503 : 400));
  // The SPA must be able to read the error, as it could a real one from oidc-provider.
  if (ctx.get('origin') === spaOrigin) {
    ctx.set('Access-Control-Allow-Origin', spaOrigin);
    ctx.vary('Origin');
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  ctx.body = { error, error_description: 'fault injected by the test IdP' };
}

/** Holds the answer until the client has gone (or `maxMs`), then closes without sending it. */
async function loseAnswer(ctx: Context, maxMs: number): Promise<void> {
  ctx.respond = false;
  const { res } = ctx;
  if (!res.destroyed) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      res.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  ctx.req.socket.destroy();
}

/** The one-time credential a token request carries, hashed: it identifies a browser's resend. */
function credentialOf(params: URLSearchParams): string | undefined {
  const value = params.get('code') ?? params.get('refresh_token');
  return value ? createHash('sha256').update(value).digest('base64url') : undefined;
}

/** Reads the form body and leaves it where oidc-provider looks for a parsed body. */
async function readParams(ctx: Context): Promise<URLSearchParams> {
  let text = '';
  ctx.req.setEncoding('utf8');
  for await (const chunk of ctx.req) {
    text += chunk;
    if (text.length > MAX_BODY) break;
  }
  // oidc-provider's selective_body reads req.body when the stream was consumed upstream.
  (ctx.req as { body?: string }).body = text;
  return new URLSearchParams(text);
}

async function requesterOf(provider: Provider, params: URLSearchParams): Promise<Requester> {
  const client = params.get('client_id') ?? undefined;
  const grant = params.get('grant_type');
  const value = grant === 'authorization_code' ? params.get('code') : params.get('refresh_token');
  if (!value || (grant !== 'authorization_code' && grant !== 'refresh_token')) return { client };
  const token =
    grant === 'authorization_code'
      ? await provider.AuthorizationCode.find(value, { ignoreExpiration: true })
      : await provider.RefreshToken.find(value, { ignoreExpiration: true });
  return { client: token?.clientId ?? client, user: findUser(token?.accountId)?.username };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
