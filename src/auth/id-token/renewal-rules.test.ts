import { describe, expect, it } from 'vitest';
import type { IdTokenError } from './id-token-error.ts';
import { checkRenewedIdToken } from './renewal-rules.ts';
import type { IdTokenClaims } from './verify-id-token.ts';

const CLIENT = 'contacts-spa';
const signedIn: IdTokenClaims = {
  iss: 'https://idp.example',
  sub: 'user-1',
  aud: CLIENT,
  exp: 2_000,
  iat: 1_000,
  nonce: 'n-1',
  auth_time: 900,
};
/** The same authentication, renewed later: only the times move. */
const renewed: IdTokenClaims = { ...signedIn, iat: 1_500, exp: 2_500 };

/** The refusal of a renewal, or null when it is accepted. */
function refusal(
  next: IdTokenClaims,
  previous: IdTokenClaims = signedIn,
  options: { newNonce?: boolean } = {},
): IdTokenError | null {
  try {
    checkRenewedIdToken(previous, next, CLIENT, options);
    return null;
  } catch (error) {
    return error as IdTokenError;
  }
}

/** The rule a renewal breaks, or null when it is accepted. */
const ruleBroken = (...args: Parameters<typeof refusal>) => refusal(...args)?.rule ?? null;

describe('checkRenewedIdToken (OpenID Connect Core 12.2)', () => {
  it('accepts the same authentication with new times, with or without a nonce or auth_time', () => {
    expect(ruleBroken(renewed)).toBeNull();
    expect(ruleBroken({ ...renewed, nonce: undefined })).toBeNull();
    expect(ruleBroken({ ...renewed, auth_time: undefined })).toBeNull();
    expect(ruleBroken({ ...renewed, aud: ['other-client', CLIENT] })).toBeNull();
    // An azp kept from sign-in is fine; only one that appears is refused.
    expect(ruleBroken({ ...renewed, azp: CLIENT }, { ...signedIn, azp: CLIENT })).toBeNull();
    expect(ruleBroken(renewed, { ...signedIn, auth_time: undefined })).toBeNull();
  });

  it.each<[string, Partial<IdTokenClaims>, string, string]>([
    ['another issuer', { iss: 'https://evil.example' }, 'renewal_iss', 'issuer'],
    ['another user', { sub: 'user-2' }, 'renewal_sub', 'another user'],
    ['another audience', { aud: 'other-client' }, 'renewal_aud', 'this client'],
    ['an audience list without this client', { aud: ['a', 'b'] }, 'renewal_aud', 'this client'],
    ['an azp that was not there', { azp: CLIENT }, 'renewal_azp', 'azp'],
    ['another auth_time', { auth_time: 901 }, 'renewal_auth_time', 'auth_time'],
    ['another nonce', { nonce: 'n-2' }, 'renewal_nonce', 'nonce'],
  ])('refuses %s, and says so in words (for the log)', (_label, change, rule, words) => {
    const error = refusal({ ...renewed, ...change });
    expect(error?.rule).toBe(rule);
    expect(error?.message).toContain(words);
  });

  it('an iframe renewal brings its own nonce (checked against its own request): accepted', () => {
    expect(ruleBroken({ ...renewed, nonce: 'n-2' }, signedIn, { newNonce: true })).toBeNull();
    // Every other rule still holds for it.
    expect(ruleBroken({ ...renewed, sub: 'user-2' }, signedIn, { newNonce: true })).toBe(
      'renewal_sub',
    );
  });
});
