// Full ID token validation (OpenID Connect Core 3.1.3.7), which oidc-client-ts does not do:
// signature against the provider's keys, alg allow-list, iss, aud, azp, exp, iat, nonce,
// at_hash and auth_time, on a clock corrected for the device's error.
import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { Clock } from '../../lib/clock.ts';
import { plausibleAuthTime } from '../../lib/clock.ts';
import { accessTokenHash } from './at-hash.ts';
import { SUPPORTED_ALGS } from './id-token-algs.ts';
import { IdTokenError, type IdTokenRule } from './id-token-error.ts';

export { SUPPORTED_ALGS };

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The allow-list: the provider's advertised algs that this app supports. */
  algorithms: readonly string[];
  /** The nonce sent with the authorization request. */
  nonce?: string | undefined;
  /** True at sign-in; on renewal a nonce may be absent (but never different). */
  nonceRequired: boolean;
  /** Checked against at_hash when the token has one. */
  accessToken?: string | undefined;
  /** The max_age sent, if any: then auth_time must be recent enough. */
  maxAgeSeconds?: number | undefined;
  clockToleranceSeconds: number;
  /** How old iat may be: the token was just issued. */
  maxTokenAgeSeconds: number;
}

export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  auth_time?: number;
  at_hash?: string;
}

const fail = (rule: IdTokenRule, message: string): never => {
  throw new IdTokenError(rule, message);
};

export async function verifyIdToken(
  idToken: string | undefined,
  keys: JWTVerifyGetKey,
  expected: IdTokenExpectations,
  clock: Clock,
): Promise<IdTokenClaims> {
  if (!idToken) return fail('missing', 'the response has no ID token');
  const alg = checkHeader(idToken, expected.algorithms);
  const now = clock.now();
  const nowSeconds = Math.floor(now / 1000);
  const tolerance = expected.clockToleranceSeconds;

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      algorithms: [...expected.algorithms],
      issuer: expected.issuer,
      audience: expected.clientId,
      currentDate: new Date(now),
      clockTolerance: tolerance,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw fromJoseError(error);
  }
  const claims = payload as IdTokenClaims;

  if (typeof claims.sub !== 'string' || claims.sub.length === 0) fail('sub', 'sub is empty');
  // Stryker disable next-line ConditionalExpression: jose refuses a non-numeric iat first; the type check stays for the comparisons below
  if (typeof claims.iat !== 'number' || claims.iat > nowSeconds + tolerance) {
    fail('iat', 'iat is in the future');
  }
  if (claims.iat < nowSeconds - tolerance - expected.maxTokenAgeSeconds) {
    fail('iat', 'iat is too far in the past');
  }
  checkAudience(claims, expected.clientId);
  checkNonce(claims, expected);
  if (claims.at_hash !== undefined && expected.accessToken !== undefined) {
    if (claims.at_hash !== (await accessTokenHash(expected.accessToken, alg))) {
      fail('at_hash', 'at_hash does not match the access token');
    }
  }
  if (expected.maxAgeSeconds !== undefined) {
    const authTime = plausibleAuthTime(claims.auth_time, nowSeconds, tolerance);
    if (claims.auth_time === undefined) {
      fail('auth_time', 'auth_time is missing although max_age was sent');
    } else if (authTime === undefined) {
      fail('auth_time', 'auth_time cannot be true (0, not a time, or in the future)');
    } else if (authTime + expected.maxAgeSeconds + tolerance < nowSeconds) {
      fail('auth_time', 'the authentication is older than max_age');
    }
  }
  return claims;
}

function checkHeader(idToken: string, algorithms: readonly string[]): string {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(idToken);
  } catch {
    return fail('malformed', 'the ID token is not a JWS');
  }
  const alg = header.alg ?? '';
  if (!algorithms.includes(alg) || !(SUPPORTED_ALGS as readonly string[]).includes(alg)) {
    fail('alg', `alg ${alg || '(none)'} is not allowed`);
  }
  // An access token (at+jwt) or a DPoP proof must never pass as an ID token.
  if (header.typ !== undefined && !/^(application\/)?jwt$/i.test(header.typ)) {
    fail('typ', `typ ${header.typ} is not an ID token type`);
  }
  return alg;
}

function checkAudience(claims: IdTokenClaims, clientId: string): void {
  // Stryker disable next-line ArrayDeclaration: one audience or none count the same here (only several need azp)
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (audiences.length > 1 && claims.azp === undefined) {
    fail('azp', 'several audiences but no azp');
  }
  if (claims.azp !== undefined && claims.azp !== clientId) {
    fail('azp', 'azp is not this client');
  }
}

function checkNonce(claims: IdTokenClaims, expected: IdTokenExpectations): void {
  if (claims.nonce === undefined) {
    if (expected.nonceRequired) fail('nonce', 'nonce is missing');
    return;
  }
  // Stryker disable next-line ConditionalExpression: with no nonce expected, any nonce the token has already differs
  if (expected.nonce === undefined || claims.nonce !== expected.nonce) {
    fail('nonce', 'nonce does not match the request');
  }
}

function fromJoseError(error: unknown): IdTokenError {
  if (error instanceof IdTokenError) return error;
  if (error instanceof errors.JWTExpired)
    return new IdTokenError('exp', 'the ID token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const rule = (['iss', 'aud', 'sub', 'iat', 'nbf', 'exp'] as const).find(
      (c) => c === error.claim,
    );
    // Stryker disable next-line StringLiteral: with these options jose checks only the claims listed above
    return new IdTokenError(rule ?? 'malformed', `${error.claim} check failed: ${error.reason}`);
  }
  // Stryker disable all: checkHeader refuses the alg first, with the same list, so jose never does
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new IdTokenError('alg', 'alg is not allowed');
  // Stryker restore all
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new IdTokenError('signature', 'the signature does not verify');
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new IdTokenError('key', 'no published key of the provider verifies this token');
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof TypeError
  ) {
    return new IdTokenError('key', "the provider's signing keys could not be loaded");
  }
  if (error instanceof errors.JOSEError) return new IdTokenError('malformed', error.code);
  return new IdTokenError('malformed', 'the ID token could not be read');
}
