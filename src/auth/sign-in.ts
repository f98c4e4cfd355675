import type { UserManager } from 'oidc-client-ts';
import { safeReturnTo } from './return-to.ts';

export interface SignInState {
  returnTo: string;
}

/** A fresh nonce for every request: it binds the ID token to this browser's request. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Leaves for the provider's login page. The return path stays in this browser's storage
 * with the PKCE verifier, so it never travels through the provider.
 */
export async function startSignIn(userManager: UserManager, returnTo: string): Promise<void> {
  const state: SignInState = { returnTo: safeReturnTo(returnTo) };
  await userManager.signinRedirect({ nonce: createNonce(), state });
}
