// OpenID Connect Core 12.2: an ID token from a renewal must describe the same
// authentication as the one the user signed in with.
import { IdTokenError } from './id-token-error.ts';
import type { IdTokenClaims } from './verify-id-token.ts';

export function checkRenewedIdToken(
  previous: IdTokenClaims,
  next: IdTokenClaims,
  clientId: string,
  /** `newNonce`: an iframe renewal, whose nonce was checked against its own request. */
  { newNonce = false }: { newNonce?: boolean } = {},
): void {
  if (next.iss !== previous.iss)
    throw new IdTokenError('renewal_iss', 'the renewed ID token has another issuer');
  if (next.sub !== previous.sub)
    throw new IdTokenError('renewal_sub', 'the renewed ID token is for another user');
  const audiences = Array.isArray(next.aud) ? next.aud : [next.aud];
  if (!audiences.includes(clientId)) {
    throw new IdTokenError('renewal_aud', 'the renewed ID token is not for this client');
  }
  if (previous.azp === undefined && next.azp !== undefined) {
    throw new IdTokenError('renewal_azp', 'the renewed ID token gained an azp');
  }
  if (
    previous.auth_time !== undefined &&
    next.auth_time !== undefined &&
    next.auth_time !== previous.auth_time
  ) {
    throw new IdTokenError('renewal_auth_time', 'the renewed ID token has another auth_time');
  }
  if (!newNonce && next.nonce !== undefined && next.nonce !== previous.nonce) {
    throw new IdTokenError('renewal_nonce', 'the renewed ID token has another nonce');
  }
}
