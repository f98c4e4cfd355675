// RFC 9068 access-token validation against one or more trusted issuers. Key sources are
// injected: main wires each issuer's discovered JWKS, tests a local JWKS with real keys.
import { decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

// IMPORTANT: an allow-list. Never add `none` or HS* (a shared secret would let the public
// key double as an HMAC key: key confusion).
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface AccessToken {
  issuer: string;
  subject: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  /** `cnf.jkt`: set when the token is DPoP-bound (RFC 9449), so Bearer use is a downgrade. */
  keyThumbprint: string | undefined;
  /** `exp` and `nbf` in seconds, for callers that cache the result. */
  expiresAt: number;
  notBefore: number | undefined;
  /** base64url SHA-256 of the token, when a caller already computed it (token-cache.ts). */
  tokenSha256?: string;
}

export type AccessTokenVerifier = (token: string) => Promise<AccessToken>;

/** The token failed validation; deliberately says nothing more (callers answer generically). */
export class InvalidTokenError extends Error {
  readonly code = 'invalid_token';
  constructor(options?: { cause?: unknown }) {
    super('access token rejected', options);
    this.name = 'InvalidTokenError';
  }
}

/** The keys could not be fetched (issuer down, bad JWKS): a server problem, not the token's. */
export class KeysUnavailableError extends Error {
  readonly code = 'keys_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeysUnavailableError';
  }
}

// Key-lookup errors that are the token's fault (unknown kid, alg/kty mismatch).
const TOKEN_KEY_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
];

export interface TrustedIssuer {
  /** Exactly as in the tokens' `iss` and the issuer's discovery document. */
  issuer: string;
  getKey: JWTVerifyGetKey;
}

export interface AccessTokenVerifierOptions {
  issuers: readonly TrustedIssuer[];
  /** The API's resource identifier; `aud` must contain it. */
  audience: string;
  /** Seconds of leeway for exp/nbf/iat; default 30: clocks drift, tokens live minutes. */
  clockTolerance?: number;
}

export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  const { audience, clockTolerance = 30 } = options;
  const keySources = new Map(
    options.issuers.map(({ issuer, getKey }) => [issuer, guardKeySource(getKey)]),
  );
  if (keySources.size === 0) throw new Error('at least one trusted issuer is required');

  return async (token) => {
    // The unverified `iss` only picks which trusted issuer's keys to try; jwtVerify then
    // checks it again, signed. An untrusted issuer is refused before any key is fetched.
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch (err) {
      throw new InvalidTokenError({ cause: err });
    }
    const getKey = typeof issuer === 'string' ? keySources.get(issuer) : undefined;
    if (typeof issuer !== 'string' || !getKey) throw new InvalidTokenError();

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer,
        audience,
        typ: 'at+jwt', // RFC 9068 §4: stops ID tokens and other JWTs posing as access tokens
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'client_id', 'iat', 'jti', 'exp'],
        clockTolerance,
      }));
    } catch (err) {
      if (err instanceof KeysUnavailableError) throw err;
      if (err instanceof errors.JOSEError) throw new InvalidTokenError({ cause: err });
      // WebCrypto/jose refuse an unusable published key (e.g. an RSA modulus under 2048 bits)
      // with a TypeError: the token naming it cannot be verified, so it is refused.
      if (err instanceof TypeError) throw new InvalidTokenError({ cause: err });
      throw err;
    }
    // jose checks iat is numeric; one from the future (beyond the leeway) is a forgery or a
    // broken issuer clock, either way not a token to trust.
    if ((payload.iat as number) > Date.now() / 1000 + clockTolerance) throw new InvalidTokenError();
    return toAccessToken(payload, issuer);
  };
}

// jose only calls this after the alg allow-list check. Header fields such as jku, x5u or
// jwk are never looked at: keys come from the configured source alone.
function guardKeySource(source: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await source(header, token);
    } catch (err) {
      if (TOKEN_KEY_ERRORS.some((type) => err instanceof type)) throw err;
      if (err instanceof KeysUnavailableError) throw err;
      throw new KeysUnavailableError("cannot load the issuer's keys", { cause: err });
    }
  };
}

function toAccessToken(payload: Record<string, unknown>, issuer: string): AccessToken {
  const { sub, client_id: clientId, jti, scope, cnf, exp, nbf } = payload;
  if (!isNonEmptyString(sub) || !isNonEmptyString(clientId) || !isNonEmptyString(jti)) {
    throw new InvalidTokenError();
  }
  if (scope !== undefined && typeof scope !== 'string') throw new InvalidTokenError();
  let keyThumbprint: string | undefined;
  if (cnf !== undefined) {
    // A binding other than DPoP (e.g. mTLS `x5t#S256`) cannot be checked here: refuse it.
    const jkt =
      typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
    if (!isNonEmptyString(jkt)) throw new InvalidTokenError();
    keyThumbprint = jkt;
  }
  return {
    issuer, // jose has checked `iss` equals it exactly
    subject: sub,
    clientId,
    scopes: new Set((scope ?? '').split(' ').filter(Boolean)),
    keyThumbprint,
    expiresAt: exp as number, // required and checked numeric by jose
    notBefore: typeof nbf === 'number' ? nbf : undefined,
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
