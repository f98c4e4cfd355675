// Checks a DPoP proof for one request to the API (RFC 9449 §4.3 and §7.1), including its
// binding to the access token (`ath`) and to the token's key (`cnf.jkt`).
import { hash } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { createEmbeddedKeyResolver, jwkThumbprint } from './dpop-key.ts';
import type { DpopNonces } from './dpop-nonce.ts';
import type { ReplayCache } from './dpop-replay-cache.ts';

// IMPORTANT: asymmetric only; the key travels in the proof, so a MAC would prove nothing.
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];
/** How far a proof's `iat` may be from our clock without a nonce (seconds). */
export const IAT_WINDOW_SECONDS = 60;

export type DpopErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

export class DpopProofError extends Error {
  constructor(
    readonly code: DpopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DpopProofError';
  }
}

export interface DpopRequest {
  method: string;
  /** The request's absolute URL as the client addressed it (query ignored). */
  url: URL;
  /** Every DPoP header value received. */
  proofs: readonly string[];
  accessToken: string;
  /** base64url SHA-256 of `accessToken` if already known (the token cache computes it). */
  accessTokenSha256?: string;
  /** The token's `cnf.jkt`: the proof must be signed by this key. */
  keyThumbprint: string;
  /** Whose token it is (issuer + subject): the replay cache bounds entries per subject. */
  subject: string;
}

export interface VerifiedProof {
  /** A nonce to hand the client with the response, when its own is getting old. */
  nextNonce: string | undefined;
}

export interface DpopProofVerifierOptions {
  nonces: DpopNonces;
  replays: ReplayCache;
  now?: () => number;
}

export type DpopProofVerifier = (request: DpopRequest) => Promise<VerifiedProof>;

export function createDpopProofVerifier({
  nonces,
  replays,
  now = () => Date.now(),
}: DpopProofVerifierOptions): DpopProofVerifier {
  const invalid = (message: string, cause?: unknown) =>
    new DpopProofError('invalid_dpop_proof', message, { cause });
  const embeddedKey = createEmbeddedKeyResolver();

  return async ({
    method,
    url,
    proofs,
    accessToken,
    accessTokenSha256,
    keyThumbprint,
    subject,
  }) => {
    if (proofs.length !== 1) throw invalid('Send exactly one DPoP header.');
    const [proof] = proofs as [string];
    // The key binding first (cheap, no signature work): a proof by another key is refused
    // before its signature is checked. The header is unverified until jwtVerify below.
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch (err) {
      throw invalid('The DPoP proof is malformed or its signature does not verify.', err);
    }
    const jwk = header.jwk as Record<string, unknown> | undefined;
    if (typeof jwk === 'object' && jwk !== null && jwkThumbprint(jwk) !== keyThumbprint) {
      throw invalid('The DPoP proof is signed by another key than the token is bound to.');
    }
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(proof, embeddedKey, {
        typ: 'dpop+jwt',
        algorithms: DPOP_ALGORITHMS,
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        // freshness is judged below (iat window or nonce); jose must not judge exp/nbf leeway
        currentDate: new Date(now()),
      });
      payload = verified.payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) {
        throw invalid('The DPoP proof is malformed or its signature does not verify.', err);
      }
      throw err;
    }
    const { jti, htm, htu, iat, ath, nonce } = payload;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
      throw invalid('The DPoP proof needs a jti.');
    }
    if (htm !== method) throw invalid('The DPoP proof is for another HTTP method.');
    if (typeof htu !== 'string' || !sameTarget(htu, url)) {
      throw invalid('The DPoP proof is for another URL.');
    }

    // Freshness: our own nonce when the client has one (its clock may be off by minutes),
    // otherwise `iat` close to our clock; a bad or old nonce asks for a new one.
    let nextNonce: string | undefined;
    let earliestUse = ((iat as number) - IAT_WINDOW_SECONDS) * 1000;
    if (nonce !== undefined) {
      const state = typeof nonce === 'string' ? nonces.check(nonce) : 'invalid';
      if (state === 'invalid') {
        throw new DpopProofError('use_dpop_nonce', 'The DPoP nonce is unknown or expired.');
      }
      if (state === 'stale') nextNonce = nonces.current();
      earliestUse = nonces.issuedAt(nonce as string);
    } else if (Math.abs(now() / 1000 - (iat as number)) > IAT_WINDOW_SECONDS) {
      throw new DpopProofError('use_dpop_nonce', 'The DPoP proof is not recent: use a nonce.');
    }

    if (ath !== (accessTokenSha256 ?? hash('sha256', accessToken, 'base64url'))) {
      throw invalid('The DPoP proof is not for this access token (ath).');
    }
    // Last, so a proof that fails any other check does not use up its jti. A cache that
    // cannot tell rejects (ReplayCheckError): the proof is not accepted unchecked.
    if (!(await replays.firstUse({ subject, key: `${keyThumbprint} ${jti}`, earliestUse }))) {
      throw invalid('The DPoP proof was already used.');
    }
    return { nextNonce };
  };
}

/** RFC 9449 §4.3: htu compared without query and fragment, after URL normalisation. */
function sameTarget(htu: string, url: URL): boolean {
  if (!URL.canParse(htu)) return false;
  const target = new URL(htu);
  return target.origin === url.origin && target.pathname === url.pathname;
}
