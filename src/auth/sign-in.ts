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

/**
 * Incremental consent: leaves for the provider asking for `scopes` on top of the configured
 * ones (e.g. `contacts:write` when the user asks to edit), returning to `returnTo`. The
 * provider may show its consent page, where the user can allow, untick or deny.
 */
export async function requestMoreScopes(
  userManager: UserManager,
  scopes: readonly string[],
  returnTo: string,
): Promise<void> {
  resetAutomaticSignIns();
  const scope = [...new Set([...userManager.settings.scope.split(' '), ...scopes])].join(' ');
  const state: SignInState = { returnTo: safeReturnTo(returnTo) };
  await userManager.signinRedirect({ scope, state });
}
