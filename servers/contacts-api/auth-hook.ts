// Routes declare the scope they need (`config: { scope }`); this onRequest hook verifies
// the token before the body is even read, so an unauthenticated caller cannot make the
// server parse or validate anything, and 401/403 come before 400.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Authorize } from './authorize.ts';
import type { AccessToken } from './verify-access-token.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a request to this route needs; absent = public (health, OpenAPI). */
    scope?: string;
  }
  interface FastifyRequest {
    accessToken?: AccessToken;
  }
}

export function registerAuthHook(app: FastifyInstance, authorize: Authorize): void {
  app.decorateRequest('accessToken', undefined);
  // Attached to scoped routes only (public ones such as /health pay nothing), after the
  // global onRequest hooks (CORS), as a callback hook so no extra promise is made.
  app.addHook('onRoute', (route) => {
    const scope = route.config?.scope;
    if (scope === undefined) return;
    const verify: onRequestHookHandler = (request, reply, done) => {
      authorize(request, scope, reply).then((token) => {
        request.accessToken = token;
        done();
      }, done);
    };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [verify] : [...[existing].flat(), verify];
  });
}
