// The token response's `scope` lists the OpenID scopes granted alongside the API's, as
// Keycloak, Auth0 and Okta do. oidc-provider lists only the access token's (resource) scopes,
// and oidc-client-ts echoes that list on refresh, so without `openid` in it a refresh never
// returned a fresh ID token. Only when the response carries an ID token.
import type { Middleware } from 'koa';
import { oidcOf } from './koa-oidc.ts';

export function tokenResponseScope(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body as { scope?: unknown; id_token?: unknown } | undefined;
    if (typeof body?.id_token !== 'string' || typeof body.scope !== 'string') return;
    const oidc = oidcOf(ctx);
    const source = oidc?.entities.AuthorizationCode ?? oidc?.entities.RefreshToken;
    const granted = new Set(oidc?.entities.Grant?.getOIDCScope().split(' '));
    const asked =
      typeof oidc?.params?.scope === 'string'
        ? oidc.params.scope.split(' ')
        : [...(source?.scopes ?? [])];
    const openid = asked.filter((scope) => granted.has(scope));
    body.scope = [...new Set([...openid, ...body.scope.split(' ')])].join(' ');
  };
}
