// "Signed out here, the provider could not be reached": set by sign-out.ts before it goes
// home, shown once by the home page (which must not load the auth layer to read it).
const localOnlyKey = 'oidc-contacts.signed-out-locally';

export function noteLocalSignOut(): void {
  sessionStorage.setItem(localOnlyKey, '1');
}

/** True once after a sign-out that could not reach the provider. */
export function takeLocalSignOutNotice(): boolean {
  const notice = sessionStorage.getItem(localOnlyKey) === '1';
  sessionStorage.removeItem(localOnlyKey);
  return notice;
}
