// oidc-provider's per-request context, as seen from a Koa middleware placed before it:
// present once the provider has handled the request (after `await next()`).
import type { Context } from 'koa';
import type { KoaContextWithOIDC, OIDCContext } from 'oidc-provider';

export function oidcOf(ctx: Context): OIDCContext | undefined {
  return (ctx as unknown as Partial<KoaContextWithOIDC>).oidc;
}
