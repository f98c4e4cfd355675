// Routes declare the scope they need (`config: { scope }`); this onRequest hook verifies
// the token before the body is even read, so an unauthenticated caller cannot make the
// server parse or validate anything, and 401/403 come before 400.
import type { FastifyInstance } from 'fastify';
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
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined) request.accessToken = await authorize(request, scope);
  });
}
