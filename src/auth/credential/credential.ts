import type { User } from 'oidc-client-ts';

/**
 * What an API request carries: the access token and how to present it. `DPoP`: the provider
 * bound the token to this browser's key (RFC 9449), so each request needs a proof with it.
 */
export interface Credential {
  token: string;
  scheme: 'Bearer' | 'DPoP';
}

/**
 * True when the provider bound the user's tokens to our DPoP key (RFC 9449 §5: the token
 * response says `token_type: DPoP`): a copy of them is useless without the key.
 */
export function isDpopBound(user: Pick<User, 'token_type'> | null | undefined): boolean {
  return user?.token_type?.toLowerCase() === 'dpop';
}

/** The user's access token, presented the way its token type says. */
export function credentialOf(user: Pick<User, 'access_token' | 'token_type'>): Credential {
  return { token: user.access_token, scheme: isDpopBound(user) ? 'DPoP' : 'Bearer' };
}
