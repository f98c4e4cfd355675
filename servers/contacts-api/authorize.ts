// The one gate every protected route calls: token from the request, verified, then scope.
import type { FastifyRequest } from 'fastify';
import { readBearerToken } from './bearer-token.ts';
import { insufficientScope, invalidToken, Problem } from './problem.ts';
import {
  type AccessToken,
  type AccessTokenVerifier,
  InvalidTokenError,
  KeysUnavailableError,
} from './verify-access-token.ts';

export type Authorize = (request: FastifyRequest, scope: string) => Promise<AccessToken>;

export function createAuthorizer(verify: AccessTokenVerifier): Authorize {
  return async (request, scope) => {
    const token = readBearerToken(request);
    let accessToken: AccessToken;
    try {
      accessToken = await verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw invalidToken();
      if (err instanceof KeysUnavailableError) {
        // Logged by the error handler (5xx); the message names URLs, never the token.
        throw new Problem(503, 'Access tokens cannot be verified right now; try again shortly.', {
          headers: { 'Retry-After': '5' },
          cause: err,
        });
      }
      throw err;
    }
    // IMPORTANT: a DPoP-bound token used as a plain bearer token is a downgrade (RFC 9449 §7.1);
    // this API does not check DPoP proofs yet, so such tokens are refused outright.
    if (accessToken.keyThumbprint !== undefined) throw invalidToken();
    if (!accessToken.scopes.has(scope)) throw insufficientScope(scope);
    return accessToken;
  };
}
