// Test mode: the authorization response (the redirect back to the app's callback) altered
// after oidc-provider made it: wrong or missing state, code or RFC 9207 iss, or an error.
import type { Middleware } from 'koa';
import { findUser } from './accounts.ts';
import type { AuthorizationResponseFaultSpec } from './fault-kinds.ts';
import { OTHER_ISSUER } from './id-token-faults.ts';
import { oidcOf } from './koa-oidc.ts';
import type { TestMode } from './test-mode.ts';

const AUTHORIZATION_PATH = /^\/auth(\/[\w-]+)?$/;

export function authorizationFaults(mode: TestMode): Middleware {
  const { faults, log } = mode;
  return async (ctx, next) => {
    await next();
    if (!AUTHORIZATION_PATH.test(ctx.path) || !faults.any('authorization-response')) return;
    const location = ctx.response.get('location');
    const redirectUri = oidcOf(ctx)?.params?.redirect_uri;
    if (ctx.status < 300 || ctx.status >= 400 || !location || typeof redirectUri !== 'string')
      return;
    const url = new URL(location, ctx.href);
    // Only the response to the app, never the IdP's own hops (login, consent pages).
    if (`${url.origin}${url.pathname}` !== redirectUri) return;
    const who = {
      user: findUser(oidcOf(ctx)?.session?.accountId)?.username,
      client: oidcOf(ctx)?.client?.clientId,
    };
    const fault = faults.take('authorization-response', who);
    if (!fault) return;
    alter(url.searchParams, fault);
    const status = ctx.status;
    ctx.redirect(url.href); // also rewrites the body, which repeats the URL
    ctx.status = status;
    log.record({ ...who, event: `fault:authorization-response:${fault.kind}` }, 'faultsServed');
  };
}

function alter(params: URLSearchParams, fault: AuthorizationResponseFaultSpec): void {
  switch (fault.kind) {
    case 'wrong-state':
      params.set('state', 'not-the-state-you-sent');
      return;
    case 'missing-state':
      params.delete('state');
      return;
    case 'missing-code':
      params.delete('code');
      return;
    case 'wrong-iss':
      params.set('iss', OTHER_ISSUER);
      return;
    case 'missing-iss':
      params.delete('iss');
      return;
    case 'error': {
      const kept = ['state', 'iss'].map((name) => [name, params.get(name)] as const);
      for (const name of [...params.keys()]) params.delete(name);
      params.set('error', fault.error ?? 'server_error');
      params.set('error_description', 'fault injected by the test IdP');
      for (const [name, value] of kept) if (value !== null) params.set(name, value);
    }
  }
}
