// The one gate every protected route calls: token from the request, verified, bound to the
// DPoP key that signed the request's proof when it is DPoP-bound, then scope.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerValues, readCredentials } from './bearer-token.ts';
import {
  dpopDowngrade,
  dpopInsufficientScope,
  dpopInvalidToken,
  dpopProofProblem,
  dpopUnboundToken,
} from './dpop-challenge.ts';
import { createDpopNonces, type DpopNonces, NONCE_LIFETIME_MS } from './dpop-nonce.ts';
import {
  createDpopProofVerifier,
  DpopProofError,
  type DpopProofVerifier,
  IAT_WINDOW_SECONDS,
} from './dpop-proof.ts';
import {
  createInProcessReplayCache,
  type ReplayCache,
  ReplayCheckError,
} from './dpop-replay-cache.ts';
import { insufficientScope, invalidToken, Problem } from './problem.ts';
import {
  type AccessToken,
  type AccessTokenVerifier,
  InvalidTokenError,
  KeysUnavailableError,
} from './verify-access-token.ts';

export type Authorize = (
  request: FastifyRequest,
  scope: string,
  reply?: FastifyReply,
) => Promise<AccessToken>;

export interface DpopCheck {
  verifyProof: DpopProofVerifier;
  nonces: DpopNonces;
  /** The API's public origin: proofs name it in `htu`, whatever Host the request carried. */
  publicOrigin: string;
}

/** As long as a proof could pass again: its iat window either side, or its nonce's life. */
export const REPLAY_RETENTION_MS =
  Math.max(2 * IAT_WINDOW_SECONDS * 1000, NONCE_LIFETIME_MS) + 60_000;

/**
 * The DPoP checks with their nonce secret and replay cache, both shared by every process
 * (the cache in Redis when there are several); default: this process's memory.
 */
export function createDpopCheck(
  publicUrl: string,
  nonceSecret?: string | Uint8Array,
  replays: ReplayCache = createInProcessReplayCache({ retentionMs: REPLAY_RETENTION_MS }),
): DpopCheck {
  const nonces = createDpopNonces(nonceSecret);
  return {
    verifyProof: createDpopProofVerifier({ nonces, replays }),
    nonces,
    publicOrigin: new URL(publicUrl).origin,
  };
}

export function createAuthorizer(verify: AccessTokenVerifier, dpop: DpopCheck): Authorize {
  return async (request, scope, reply) => {
    const { scheme, token } = readCredentials(request);
    let accessToken: AccessToken;
    try {
      accessToken = await verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        throw scheme === 'dpop' ? dpopInvalidToken() : invalidToken();
      }
      if (err instanceof KeysUnavailableError) {
        // Logged by the error handler (5xx); the message names URLs, never the token.
        throw new Problem(503, 'Access tokens cannot be verified right now; try again shortly.', {
          headers: { 'Retry-After': '5' },
          cause: err,
        });
      }
      throw err;
    }
    const keyThumbprint = accessToken.keyThumbprint;
    if (scheme === 'bearer') {
      // IMPORTANT: a DPoP-bound token used as a plain bearer token is a downgrade (RFC 9449 §7.1).
      if (keyThumbprint !== undefined) throw dpopDowngrade();
      if (!accessToken.scopes.has(scope)) throw insufficientScope(accessToken.scopeName(scope));
      return accessToken;
    }
    if (keyThumbprint === undefined) throw dpopUnboundToken();
    try {
      const { nextNonce } = await dpop.verifyProof({
        method: request.method,
        url: requestUrl(dpop.publicOrigin, request.url),
        proofs: headerValues(request, 'dpop'),
        accessToken: token,
        accessTokenSha256: accessToken.tokenSha256,
        keyThumbprint,
        subject: `${accessToken.issuer} ${accessToken.subject}`,
      });
      if (nextNonce !== undefined) reply?.header('DPoP-Nonce', nextNonce);
    } catch (err) {
      if (err instanceof DpopProofError) throw dpopProofProblem(err, dpop.nonces.current);
      if (err instanceof ReplayCheckError && err.since !== undefined) {
        // The replay cache lost its memory: this proof may have been used before, so it is
        // refused, and the client gets a nonce made since then: its next proof can be checked.
        // (A 503 would keep an honest client waiting until its iat or nonce aged out.)
        const since = err.since;
        throw dpopProofProblem(
          new DpopProofError(
            'use_dpop_nonce',
            'The DPoP replay cache was reset: use the new nonce.',
          ),
          () => dpop.nonces.after(since),
        );
      }
      if (err instanceof ReplayCheckError) throw replayCheckProblem(err);
      throw err;
    }
    if (!accessToken.scopes.has(scope)) throw dpopInsufficientScope(accessToken.scopeName(scope));
    return accessToken;
  };
}

/** The replay cache could not vouch for the proof: try later, never accepted unchecked. */
function replayCheckProblem(err: ReplayCheckError): Problem {
  const headers = { 'Retry-After': String(err.retryAfterSeconds) };
  if (err.code === 'subject-bound') {
    return new Problem(429, 'Too many new DPoP proofs for this user this minute.', { headers });
  }
  // Logged by the error handler (5xx) with the cause.
  const detail = 'DPoP proofs cannot be checked for replay right now; try again shortly.';
  return new Problem(503, detail, { headers, cause: err });
}

/** Our origin + the request's path (concatenated: a path such as `//host/x` stays a path). */
function requestUrl(origin: string, url: string): URL {
  const queryAt = url.indexOf('?');
  return new URL(origin + (queryAt === -1 ? url : url.slice(0, queryAt)));
}
