// The answers for requests that use the DPoP scheme, or a DPoP-bound token without it:
// RFC 9449 §7.1 challenges (`WWW-Authenticate: DPoP ..., algs="..."`) with problem+json
// bodies shaped like the Bearer ones.
import { DPOP_ALGORITHMS, type DpopProofError } from './dpop-proof.ts';
import { type BearerError, Problem } from './problem.ts';

const ALGS = DPOP_ALGORITHMS.join(' ');

function dpopProblem(
  status: number,
  error: BearerError,
  description: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): Problem {
  // Values are our own constants: none contains `"` or `\`, so no escaping is needed.
  const params = { realm: 'contacts', error, error_description: description, ...extra, algs: ALGS };
  const attributes = Object.entries(params).map(([k, v]) => `${k}="${v}"`);
  return new Problem(status, description.endsWith('.') ? description : `${description}.`, {
    headers: { 'WWW-Authenticate': `DPoP ${attributes.join(', ')}`, ...headers },
    error,
  });
}

/** Same single description as the Bearer answer: no oracle on why a token failed. */
export function dpopInvalidToken(): Problem {
  return dpopProblem(401, 'invalid_token', 'The access token is invalid or expired');
}

/** RFC 9449 §7.1: a DPoP-bound token presented as a plain bearer token is a downgrade. */
export function dpopDowngrade(): Problem {
  return dpopProblem(
    401,
    'invalid_token',
    'The access token is bound to a key: send it with the DPoP scheme and a proof',
  );
}

/** The DPoP scheme with a token bound to no key: nothing to check the proof against. */
export function dpopUnboundToken(): Problem {
  return dpopProblem(401, 'invalid_token', 'The access token is not bound to a DPoP key');
}

export function dpopProofProblem(err: DpopProofError, currentNonce: () => string): Problem {
  if (err.code === 'use_dpop_nonce') {
    return dpopProblem(401, 'use_dpop_nonce', err.message, {}, { 'DPoP-Nonce': currentNonce() });
  }
  return dpopProblem(401, 'invalid_dpop_proof', err.message);
}

export function dpopInsufficientScope(scope: string): Problem {
  return dpopProblem(403, 'insufficient_scope', `The access token lacks the ${scope} scope`, {
    scope,
  });
}
