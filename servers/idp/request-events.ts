// Test mode: feeds the request log from oidc-provider's events and from the revocation
// endpoint, attributing each to the user (seeded username) and client involved.
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { findUser } from './accounts.ts';
import { oidcOf } from './koa-oidc.ts';
import type { RequestLog } from './request-log.ts';

interface ProviderError {
  error?: string;
  error_detail?: string;
  message?: string;
}

function who(ctx: KoaContextWithOIDC) {
  const accountId =
    ctx.oidc?.entities.Account?.accountId ??
    ctx.oidc?.entities.RefreshToken?.accountId ??
    ctx.oidc?.session?.accountId;
  return { user: findUser(accountId)?.username, client: ctx.oidc?.client?.clientId };
}

export function recordProviderEvents(provider: Provider, log: RequestLog): void {
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    log.record({ ...who(ctx), event: 'authorization' }, 'authorizations');
  });
  provider.on('authorization.error', (ctx: KoaContextWithOIDC, error: ProviderError) => {
    const by = who(ctx);
    const counter = by.user === undefined ? undefined : 'authorizations';
    log.record({ ...by, event: 'authorization-error', detail: error.error }, counter);
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const refresh = ctx.oidc.params?.grant_type === 'refresh_token';
    const event = refresh ? 'refresh' : 'code-exchange';
    log.record({ ...who(ctx), event }, refresh ? 'refreshes' : 'codeExchanges');
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: ProviderError) => {
    const detail = error.error_detail ?? error.message;
    if (detail === 'refresh token already used') {
      log.record({ ...who(ctx), event: 'refresh-reuse', detail }, 'refreshReuseDetected');
    } else {
      log.record(
        { ...who(ctx), event: 'token-error', detail: `${error.error}: ${detail}` },
        'tokenErrors',
      );
    }
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC) => {
    log.record({ ...who(ctx), event: 'grant-revoked' });
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    log.record({ ...who(ctx), event: 'sign-out' });
  });
}

/** Counts tokens revoked at the revocation endpoint (oidc-provider emits no event for it). */
export function recordRevocations(log: RequestLog): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path !== '/token/revocation' || ctx.method !== 'POST' || ctx.status !== 200) return;
    const oidc = oidcOf(ctx);
    const token = oidc?.entities.RefreshToken ?? oidc?.entities.AccessToken;
    if (!token) return;
    const user = findUser(token.accountId)?.username;
    log.record({ user, client: oidc?.client?.clientId, event: 'revocation' }, 'revocations');
  };
}
