// The faults the test IdP can serve, as string-literal unions shared by the IdP's control
// routes and the Playwright client (e2e/idp-control.ts). No runtime dependencies.

/**
 * What the token endpoint does instead of answering normally. 'lost-answer' (refresh_token
 * grants only): the refresh is carried out (the old refresh token consumed, a new one issued)
 * but the answer is held until the client goes away (a closed tab), or at most `delayMs`
 * (default 30 s), then the connection is closed without it.
 */
export const TOKEN_ENDPOINT_FAULTS = ['drop', '503', 'slow', 'oauth_error', 'lost-answer'] as const;
export type TokenEndpointFault = (typeof TOKEN_ENDPOINT_FAULTS)[number];

/** How the ID token in the next token response is broken. */
export const ID_TOKEN_FAULTS = [
  'bad-signature', // real header and claims, signature bytes altered
  'alg-none', // unsigned: alg "none", empty signature
  'hs256-public-key', // HS256, HMAC keyed with the IdP's public key (PEM): key confusion
  'unknown-kid', // signed by a throwaway key under a kid the JWKS does not have
  'missing-kid', // signed by the real key, no kid in the header
  'wrong-iss', // iss of another issuer, signed by the real key
  'wrong-aud', // aud is another client only
  'extra-untrusted-aud', // aud = [client, untrusted audience], no azp
  'wrong-azp', // aud = [client, other], azp = other
  'expired', // exp 10 minutes in the past (beyond any sane leeway)
  'iat-future', // iat 10 minutes in the future
  'iat-week-old', // iat a week ago, exp still in the future
  'missing-exp',
  'missing-iat',
  'missing-nonce',
  'wrong-nonce',
  'missing-sub',
  'different-sub', // served on the next refresh_token response only (OIDC Core 12.2)
] as const;
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];

/** How the redirect back to the app (the authorization response) is altered. */
export const AUTHORIZATION_RESPONSE_FAULTS = [
  'wrong-state',
  'missing-state',
  'missing-code',
  'wrong-iss', // RFC 9207 iss parameter of another issuer
  'missing-iss',
  'error', // an error response; the error code is chosen by the caller
] as const;
export type AuthorizationResponseFault = (typeof AUTHORIZATION_RESPONSE_FAULTS)[number];

/** Who a fault is for: a seeded username, a client id, or both (both must match). */
export interface FaultTarget {
  user?: string;
  client?: string;
}

export interface TokenEndpointFaultSpec {
  kind: TokenEndpointFault;
  /** For 'slow': how long to wait before answering normally; 'lost-answer': the longest hold. */
  delayMs?: number;
  /** For 'oauth_error': the error code; default 'temporarily_unavailable'. */
  error?: string;
  /** For 'oauth_error': the HTTP status; default 400 (503 for temporarily_unavailable). */
  status?: number;
}

export interface IdTokenFaultSpec {
  kind: IdTokenFault;
  /** Serve only on this grant's responses; default any ('different-sub': refresh_token). */
  grant?: 'authorization_code' | 'refresh_token';
}

export interface AuthorizationResponseFaultSpec {
  kind: AuthorizationResponseFault;
  /** For 'error': the error code; default 'server_error'. */
  error?: string;
}

/** What the IdP counts per user (and per client), readable through the controls. */
export interface Counters {
  /** Authorization responses sent to the app after sign-in (codes and errors). */
  authorizations: number;
  /** Successful authorization_code grants. */
  codeExchanges: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Token requests refused by the IdP itself (invalid_grant and the like). */
  tokenErrors: number;
  /** A rotated refresh token used again: the grant was revoked. */
  refreshReuseDetected: number;
  /** Tokens revoked at the revocation endpoint, and grants revoked by the controls. */
  revocations: number;
  /** Faults served, whatever their kind. */
  faultsServed: number;
}

export interface LogEntry {
  /** Increasing number, for "what happened since" queries. */
  seq: number;
  /** ISO time, by the IdP's (possibly shifted) clock. */
  at: string;
  user?: string;
  client?: string;
  /** e.g. 'authorization', 'code-exchange', 'refresh', 'refresh-reuse', 'fault:id-token:expired' */
  event: string;
  detail?: string;
}
