// The sign-in callback, started by the services as soon as they load (before React and the
// router have even been evaluated). On success the app goes on to the page the user was
// going to (app/shell/render-shell.tsx); on failure the callback route shows why.

/** The provider's answer to a sign-in (a bare /callback, reloaded or bookmarked, is not). */
export const isAuthorizationResponse = ({ pathname, search }: Location) =>
  pathname === '/callback' && /[?&](code|error|state)=/.test(search);

/**
 * On a callback URL: takes the authorization response out of the address bar and history
 * and hands it to `complete` (which resolves with the path to return to). Otherwise null.
 */
export function beginCallback(
  location: Location,
  complete: (callbackUrl: string) => Promise<string>,
): Promise<string> | null {
  if (!isAuthorizationResponse(location)) return null;
  const callbackUrl = location.href;
  // IMPORTANT: code and state leave the address bar and history at once, success or not.
  window.history.replaceState(window.history.state, '', '/callback');
  const pending = complete(callbackUrl);
  pending.catch(() => undefined); // the callback route shows the failure
  return pending;
}
