// How each provider shapes the access tokens the API accepts. A profile changes only where
// the client id and the granted scopes are read, and which header `typ` the provider
// stamps; the signature, issuer, audience and expiry are checked the same way for all
// (verify-access-token.ts), and every profile refuses an ID token of its provider.
import type { JWTPayload } from 'jose';

export const PROFILE_NAMES = ['rfc9068', 'keycloak', 'entra', 'okta', 'zitadel'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface AccessTokenProfile {
  /** Header `typ` values its access tokens carry; `null`: the header has none. */
  typ: readonly (string | null)[];
  /** Claims that must be there (jose checks them before the profile reads them). */
  requiredClaims: readonly string[];
  /** The client the token was issued to; undefined when the claim is missing. */
  clientId(payload: JWTPayload): string | undefined;
  /** The granted scopes (or what the provider grants instead); undefined: malformed. */
  scopes(payload: JWTPayload): string[] | undefined;
  /**
   * True for an access token of this provider. Where `typ` cannot tell it from an ID token
   * (both `JWT`, or none), claims only access tokens carry do.
   */
  isAccessToken(payload: JWTPayload): boolean;
}

const text = (value: unknown) =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
const words = (value: unknown) =>
  typeof value === 'string' ? value.split(' ').filter(Boolean) : undefined;
const strings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

export const PROFILES: Record<ProfileName, AccessTokenProfile> = {
  // RFC 9068: the local test IdP, Auth0 with its RFC 9068 token dialect, and any provider
  // that follows the standard. `typ` alone keeps ID tokens out.
  rfc9068: {
    typ: ['at+jwt', 'application/at+jwt'],
    requiredClaims: ['sub', 'client_id', 'iat', 'jti', 'exp'],
    clientId: (payload) => text(payload.client_id),
    // RFC 9068 §2.2.3: present when the request had a scope; absent means none.
    scopes: (payload) => (payload.scope === undefined ? [] : words(payload.scope)),
    isAccessToken: () => true,
  },
  // Keycloak: `typ: JWT` in the header (or at+jwt when the realm says so); its payload's own
  // `typ` is `Bearer` for access tokens and `ID` for ID tokens. The client is `azp`.
  keycloak: {
    typ: ['JWT', 'at+jwt'],
    requiredClaims: ['sub', 'azp', 'scope', 'iat', 'exp'],
    clientId: (payload) => text(payload.azp),
    scopes: (payload) => words(payload.scope),
    isAccessToken: (payload) => payload.typ === 'Bearer',
  },
  // Entra ID v2 access tokens (the API's app registration with requestedAccessTokenVersion 2):
  // `scp` space-separated, the client in `azp`, `ver: 2.0`. ID tokens carry no `scp`.
  entra: {
    typ: ['JWT'],
    requiredClaims: ['sub', 'azp', 'scp', 'ver', 'iat', 'exp'],
    clientId: (payload) => text(payload.azp),
    scopes: (payload) => words(payload.scp),
    isAccessToken: (payload) => payload.ver === '2.0' && typeof payload.scp === 'string',
  },
  // Okta custom authorization server: the header its documentation shows has only `kid` and
  // `alg` (no `typ`); `scp` is an array, the client is `cid`, the user's id `uid`. ID tokens
  // carry neither `scp` nor `cid`.
  okta: {
    typ: [null, 'JWT'],
    requiredClaims: ['sub', 'cid', 'scp', 'jti', 'iat', 'exp'],
    clientId: (payload) => text(payload.cid),
    scopes: (payload) => strings(payload.scp),
    isAccessToken: (payload) => Array.isArray(payload.scp) && typeof payload.cid === 'string',
  },
  // Zitadel, with the application set to JWT access tokens (the default is opaque, which this
  // API cannot read): no scope claim; what the user may do is the project's roles, asserted
  // in `urn:zitadel:iam:org:project:roles` (map the app's permissions to role names). Only
  // ID tokens carry `auth_time` and `amr`.
  zitadel: {
    typ: ['JWT', 'at+jwt'],
    requiredClaims: ['sub', 'azp', 'jti', 'iat', 'exp'],
    clientId: (payload) => text(payload.azp),
    scopes: (payload) => {
      const roles = payload['urn:zitadel:iam:org:project:roles'];
      if (roles === undefined) return [];
      return typeof roles === 'object' && roles !== null && !Array.isArray(roles)
        ? Object.keys(roles)
        : undefined;
    },
    isAccessToken: (payload) => payload.auth_time === undefined && payload.amr === undefined,
  },
};
