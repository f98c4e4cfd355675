import type { UserManager } from 'oidc-client-ts';

const localOnlyKey = 'oidc-contacts.signed-out-locally';

/**
 * Deliberate sign-out: revoke the refresh token (best effort: an unreachable revocation
 * endpoint must not keep the user signed in), forget the user locally, then end the
 * session at the provider (RP-initiated logout), which returns to the home page.
 *
 * The user is removed *before* the redirect so oidc-client-ts identifies the app with
 * `client_id` instead of putting the ID token in the URL as `id_token_hint`: tokens never
 * go into URLs, where history, logs and Referer headers keep them.
 */
export async function signOut(userManager: UserManager): Promise<void> {
  try {
    await userManager.revokeTokens(['refresh_token']);
  } catch {
    // The provider's logout below revokes the grant as well.
  }
  await userManager.removeUser();
  try {
    await userManager.signoutRedirect();
  } catch {
    // The provider cannot be reached: the session here has ended all the same; say so.
    sessionStorage.setItem(localOnlyKey, '1');
    window.location.assign('/');
  }
}

/** True once after a sign-out that could not reach the provider. */
export function takeLocalSignOutNotice(): boolean {
  const notice = sessionStorage.getItem(localOnlyKey) === '1';
  sessionStorage.removeItem(localOnlyKey);
  return notice;
}
