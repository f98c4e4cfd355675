import type { UserManager } from 'oidc-client-ts';
import type { ProviderConfig } from '../../config/app-config.ts';
import { endDpopSession } from '../dpop/dpop-settings.ts';
import { type LocalSignOutReason, noteLocalSignOut } from './local-sign-out-notice.ts';

/**
 * Deliberate sign-out: revoke the refresh token (unless the provider is known to refuse
 * it), forget the user locally, then end the session at the provider (RP-initiated
 * logout), which returns to the home page. The session here ends whatever happens there;
 * when the provider's part cannot even be asked for, the home page says so.
 *
 * How the app names itself to the logout endpoint is the provider's `logout.request`:
 * - `client_id` (default): the user is removed *before* the redirect, so oidc-client-ts
 *   sends `client_id` and no ID token: tokens never go into URLs, where history, logs and
 *   Referer headers keep them. (A form POST would carry the hint in a body, but providers
 *   commonly accept only GET there.)
 * - `id_token_hint`: for providers that ignore a logout without it (Glewlwyd). The ID token
 *   is then in the URL, as RP-Initiated Logout 1.0 defines it: the price docs/security.md
 *   spells out. It goes nowhere else: not logged, not rendered.
 */
export async function signOut(
  userManager: UserManager,
  logout: ProviderConfig['logout'],
  goHome: () => void = () => window.location.assign('/'),
): Promise<void> {
  const idToken =
    logout.request === 'id_token_hint' ? (await userManager.getUser())?.id_token : undefined;
  const reachable = logout.revocation ? await revokeRefreshToken(userManager) : true;
  await userManager.removeUser();
  // The DPoP key goes only now, with the whole session (a tab's local cleanup keeps it).
  await endDpopSession(userManager).catch(() => {});
  const cannotAsk: LocalSignOutReason | null = !reachable
    ? 'unreachable'
    : logout.request === 'id_token_hint' && !idToken
      ? 'no_id_token'
      : null;
  try {
    if (cannotAsk) throw new Error(cannotAsk);
    // No extra parameters: by default oidc-client-ts reuses the sign-in's (`resource`,
    // `audience`), which mean nothing to the logout endpoint.
    await userManager.signoutRedirect({
      extraQueryParams: {},
      // With a `state`, as RP-Initiated Logout allows: Glewlwyd sends the user back to
      // post_logout_redirect_uri only when the request has one.
      ...(idToken ? { id_token_hint: idToken, state: 'signed-out' } : {}),
    });
  } catch {
    noteLocalSignOut(cannotAsk ?? 'unreachable');
    goHome();
  }
}

/** False only when the provider could not be reached at all (a network error). */
async function revokeRefreshToken(userManager: UserManager): Promise<boolean> {
  try {
    await userManager.revokeTokens(['refresh_token']);
    return true;
  } catch (error) {
    // No revocation endpoint, or a refused token: the provider is there, and its logout
    // ends the grant all the same.
    return !(error instanceof TypeError);
  }
}
