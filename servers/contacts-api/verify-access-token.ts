// Access-token validation against one or more trusted issuers, each with its token profile
// (RFC 9068 by default; access-token-profiles.ts) and its names for the API's two scopes. Key
// sources are injected: main wires each issuer's discovered JWKS, tests a local JWKS with
// real keys.
import { decodeJwt, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { type AccessTokenProfile, PROFILES, type ProfileName } from './access-token-profiles.ts';

// IMPORTANT: an allow-list. Never add `none` or HS* (a shared secret would let the public
// key double as an HMAC key: key confusion).
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** The API's own names for what a token may do; each issuer may call them otherwise. */
export const API_SCOPES = ['contacts:read', 'contacts:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export type ScopeNames = Readonly<Record<ApiScope, string>>;
export const DEFAULT_SCOPE_NAMES: ScopeNames = {
  'contacts:read': 'contacts:read',
  'contacts:write': 'contacts:write',
};

export interface AccessToken {
  issuer: string;
  subject: string;
  clientId: string;
  /** The API's scopes the token grants, by the API's names (mapped from its issuer's). */
  scopes: ReadonlySet<string>;
  /** The issuer's name for one of the API's scopes, for an insufficient_scope challenge. */
  scopeName(scope: string): string;
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
  /** How this issuer shapes its access tokens; default RFC 9068 (the strict one). */
  profile?: ProfileName;
  /** What `aud` must contain for this issuer; default the verifier's audience. */
  audience?: string;
  /** This issuer's names for the API's scopes; default the API's own. */
  scopeNames?: ScopeNames;
}

interface IssuerRules {
  getKey: JWTVerifyGetKey;
  profile: AccessTokenProfile;
  audience: string;
  scopeNames: ScopeNames;
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
  const { clockTolerance = 30 } = options;
  const rules = new Map<string, IssuerRules>(
    options.issuers.map((trusted) => [
      trusted.issuer,
      {
        getKey: guardKeySource(trusted.getKey),
        profile: PROFILES[trusted.profile ?? 'rfc9068'],
        audience: trusted.audience ?? options.audience,
        scopeNames: trusted.scopeNames ?? DEFAULT_SCOPE_NAMES,
      },
    ]),
  );
  if (rules.size === 0) throw new Error('at least one trusted issuer is required');

  return async (token) => {
    // The unverified `iss` only picks which trusted issuer's keys to try; jwtVerify then
    // checks it again, signed. An untrusted issuer is refused before any key is fetched.
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch (err) {
      throw new InvalidTokenError({ cause: err });
    }
    // Stryker disable next-line ConditionalExpression: a non-string finds no rule below either; this narrows the type
    if (typeof issuer !== 'string') throw new InvalidTokenError();
    const rule = rules.get(issuer);
    if (!rule) throw new InvalidTokenError();

    let payload: JWTPayload;
    try {
      let typ: string | undefined;
      ({
        payload,
        protectedHeader: { typ },
      } = await jwtVerify(token, rule.getKey, {
        issuer,
        audience: rule.audience,
        algorithms: ALGORITHMS,
        requiredClaims: [...rule.profile.requiredClaims],
        clockTolerance,
      }));
      // RFC 9068 §4 (and each provider's own mark): ID tokens and other JWTs signed by the
      // same keys must not pass as access tokens.
      if (
        !rule.profile.typ.some((accepted) => mediaType(accepted ?? undefined) === mediaType(typ))
      ) {
        throw notAnAccessToken(payload, 'typ', 'unexpected "typ" JWT header value');
      }
      if (!rule.profile.isAccessToken(payload)) {
        throw notAnAccessToken(payload, 'access token', 'not an access token of this issuer');
      }
    } catch (err) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: the last line would rethrow these unchanged too; said first so that no wrapping below can catch them
      if (err instanceof KeysUnavailableError || err instanceof InvalidTokenError) throw err;
      // Stryker disable next-line ConditionalExpression: what else reaches here is a TypeError, refused the same way below
      if (err instanceof errors.JOSEError) throw new InvalidTokenError({ cause: err });
      // WebCrypto/jose refuse an unusable published key (e.g. an RSA modulus under 2048 bits)
      // with a TypeError: the token naming it cannot be verified, so it is refused.
      // Stryker disable next-line ConditionalExpression: jose's verification throws nothing else; an unknown error would be refused here too rather than thrown
      if (err instanceof TypeError) throw new InvalidTokenError({ cause: err });
      throw err;
    }
    // jose checks iat is numeric; one from the future (beyond the leeway) is a forgery or a
    // broken issuer clock, either way not a token to trust.
    if ((payload.iat as number) > Date.now() / 1000 + clockTolerance) throw new InvalidTokenError();
    return toAccessToken(payload, issuer, rule);
  };
}

/** Refused as jose refuses a claim, so the cause says which check failed. */
function notAnAccessToken(payload: JWTPayload, claim: string, message: string): InvalidTokenError {
  const cause = new errors.JWTClaimValidationFailed(message, payload, claim, 'check_failed');
  return new InvalidTokenError({ cause });
}

/** A `typ` as RFC 8725 §3.11 compares it: case-insensitive, `application/` optional. */
function mediaType(typ: string | undefined): string | null {
  if (typ === undefined) return null;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
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

function toAccessToken(payload: JWTPayload, issuer: string, rule: IssuerRules): AccessToken {
  const { sub, jti, cnf, exp, nbf } = payload;
  const clientId = rule.profile.clientId(payload);
  const granted = rule.profile.scopes(payload);
  const jtiRequired = rule.profile.requiredClaims.includes('jti');
  if (!isNonEmptyString(sub) || !isNonEmptyString(clientId)) throw new InvalidTokenError();
  if (jtiRequired && !isNonEmptyString(jti)) throw new InvalidTokenError();
  if (!granted) throw new InvalidTokenError();
  let keyThumbprint: string | undefined;
  if (cnf !== undefined) {
    // A binding other than DPoP (e.g. mTLS `x5t#S256`) cannot be checked here: refuse it.
    const jkt =
      // Stryker disable next-line ConditionalExpression: a string or number cnf has no jkt either
      typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
    if (!isNonEmptyString(jkt)) throw new InvalidTokenError();
    keyThumbprint = jkt;
  }
  return {
    issuer, // jose has checked `iss` equals it exactly
    subject: sub,
    clientId,
    // Only this issuer's names count: a token naming another issuer's grants nothing.
    scopes: new Set(API_SCOPES.filter((scope) => granted.includes(rule.scopeNames[scope]))),
    scopeName: (scope) => rule.scopeNames[scope as ApiScope] ?? scope,
    keyThumbprint,
    expiresAt: exp as number, // required and checked numeric by jose
    // Stryker disable next-line ConditionalExpression: jose refuses a non-numeric nbf, so nbf is a number or absent
    notBefore: typeof nbf === 'number' ? nbf : undefined,
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
