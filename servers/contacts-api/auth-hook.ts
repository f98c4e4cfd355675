// Protection is the default: one global onRequest hook stands in front of every route, and
// lets a request through without a token only when its route says `config: { public: true }`.
// IMPORTANT: a global hook, not one attached per route in `onRoute`: an `onRoute` hook never
// sees routes registered before it, and such a route would have been public. A route that
// names no scope and is not public is denied whatever the token (fail closed).
// The token is verified before the body is even read, so an unauthenticated caller cannot
// make the server parse or validate anything, and 401/403 come before 400.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Authorize } from './authorize.ts';
import { Problem } from './problem.ts';
import type { AccessToken } from './verify-access-token.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a request to this route needs. */
    scope?: string;
    /** No token needed (health, readiness, the OpenAPI document). Absent: protected. */
    public?: boolean;
  }
  interface FastifyRequest {
    accessToken?: AccessToken;
  }
}

/** Asked of tokens on a route that names no scope: no issuer grants it. */
const NO_SCOPE_GRANTS_THIS = 'contacts:route-names-no-scope';

export function registerAuthHook(app: FastifyInstance, authorize: Authorize): void {
  app.decorateRequest('accessToken', undefined);
  // A callback hook, so no extra promise is made for public routes.
  const guard: onRequestHookHandler = (request, reply, done) => {
    const config = request.routeOptions.config;
    // No route matched: the 404 handler answers, and says nothing a token would protect.
    if (config.public === true || request.is404) {
      done();
      return;
    }
    const scope = config.scope;
    authorize(request, scope ?? NO_SCOPE_GRANTS_THIS, reply).then(
      (token) => {
        request.accessToken = token;
        done();
      },
      (err: Error) => {
        // Without a scope a valid token still gets no further (403, not a scope to ask for).
        const unscoped = scope === undefined && err instanceof Problem && err.status === 403;
        done(unscoped ? new Problem(403, 'This path is not open to any access token.') : err);
      },
    );
  };
  app.addHook('onRequest', guard);
}
