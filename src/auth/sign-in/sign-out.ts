import type { UserManager } from 'oidc-client-ts';
import { endDpopSession } from '../dpop/dpop-settings.ts';
import { noteLocalSignOut } from './local-sign-out-notice.ts';

/**
 * Deliberate sign-out: revoke the refresh token, forget the user locally, then end the
 * session at the provider (RP-initiated logout), which returns to the home page.
 *
 * The user is removed *before* the redirect so oidc-client-ts identifies the app with
 * `client_id` instead of putting the ID token in the URL as `id_token_hint`: tokens never
 * go into URLs, where history, logs and Referer headers keep them. (A form POST would carry
 * the hint in a body, but providers commonly accept only GET there, and oidc-provider needs
 * SameSite=None session cookies for it.) When the provider cannot be reached at all, the
 * app does not navigate to it: the session here has ended, and the home page says so.
 */
export async function signOut(userManager: UserManager): Promise<void> {
  const reachable = await revokeRefreshToken(userManager);
  await userManager.removeUser();
  // The DPoP key goes only now, with the whole session (a tab's local cleanup keeps it).
  await endDpopSession(userManager).catch(() => {});
  try {
    if (!reachable) throw new Error('provider unreachable');
    // No extra parameters: by default oidc-client-ts reuses the sign-in's (`resource`,
    // `audience`), which mean nothing to the logout endpoint.
    await userManager.signoutRedirect({ extraQueryParams: {} });
  } catch {
    noteLocalSignOut();
    window.location.assign('/');
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
