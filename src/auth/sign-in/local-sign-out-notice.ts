// "Signed out here, the provider's part could not be asked for": set by sign-out.ts before
// it goes home, shown once by the home page (which must not load the auth layer to read it).
const localOnlyKey = 'oidc-contacts.signed-out-locally';

/**
 * Why the provider's session may still be there: it could not be reached, or it needs the
 * ID token to log out (`logout.request: id_token_hint`) and this tab had none.
 */
export type LocalSignOutReason = 'unreachable' | 'no_id_token';
const reasons: readonly string[] = ['unreachable', 'no_id_token'] satisfies LocalSignOutReason[];

export function noteLocalSignOut(reason: LocalSignOutReason): void {
  sessionStorage.setItem(localOnlyKey, reason);
}

/** The reason, once, after a sign-out whose provider part could not be asked for. */
export function takeLocalSignOutNotice(): LocalSignOutReason | null {
  const stored = sessionStorage.getItem(localOnlyKey);
  sessionStorage.removeItem(localOnlyKey);
  // '1' was written by the app before reasons existed (a tab open across an update).
  if (stored === '1') return 'unreachable';
  return stored && reasons.includes(stored) ? (stored as LocalSignOutReason) : null;
}
