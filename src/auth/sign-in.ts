import type { UserManager } from 'oidc-client-ts';
import { recordAutomaticSignIn, resetAutomaticSignIns } from './redirect-breaker.ts';
import { safeReturnTo } from './return-to.ts';

export interface SignInState {
  returnTo: string;
}

/**
 * Leaves for the provider's login page. The return path stays in this browser's storage
 * with the PKCE verifier, so it never travels through the provider.
 */
export async function startSignIn(
  userManager: UserManager,
  returnTo: string,
  { automatic = false }: { automatic?: boolean } = {},
): Promise<void> {
  // Automatic redirects are counted, so a loop stops; a user's own request starts afresh.
  if (automatic) recordAutomaticSignIn();
  else resetAutomaticSignIns();
  const state: SignInState = { returnTo: safeReturnTo(returnTo) };
  // The manager adds a fresh nonce (validating-user-manager.ts).
  await userManager.signinRedirect({ state });
}
