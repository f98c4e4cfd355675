import type { User } from 'oidc-client-ts';

/**
 * True when the provider bound the user's tokens to our DPoP key (RFC 9449 §5: the token
 * response says `token_type: DPoP`): a copy of them is useless without the key.
 */
export function isDpopBound(user: Pick<User, 'token_type'> | null | undefined): boolean {
  return user?.token_type?.toLowerCase() === 'dpop';
}
