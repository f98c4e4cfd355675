import type { UserManager } from 'oidc-client-ts';
import { safeReturnTo } from './return-to.ts';

export interface SignInState {
  returnTo: string;
}

/**
 * Leaves for the provider's login page. The return path stays in this browser's storage
 * with the PKCE verifier, so it never travels through the provider.
 */
export async function startSignIn(userManager: UserManager, returnTo: string): Promise<void> {
  const state: SignInState = { returnTo: safeReturnTo(returnTo) };
  // The manager adds a fresh nonce (validating-user-manager.ts).
  await userManager.signinRedirect({ state });
}
