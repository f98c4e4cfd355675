import type { User, UserManager } from 'oidc-client-ts';
import { safeReturnTo } from './return-to.ts';
import { toSignInError } from './sign-in-error.ts';

const inFlight = new Map<string, Promise<string>>();

/**
 * Finishes the authorization code flow for the current callback URL and returns the
 * same-origin path to go back to; `signedIn` gets the validated, stored user first. Runs
 * once per URL: a second exchange of one code would fail (and, at a strict IdP, revoke the
 * first).
 */
export function completeSignIn(
  userManager: UserManager,
  callbackUrl: string,
  signedIn: (user: User) => void = () => {},
): Promise<string> {
  let pending = inFlight.get(callbackUrl);
  if (!pending) {
    pending = run(userManager, callbackUrl, signedIn);
    inFlight.set(callbackUrl, pending);
  }
  return pending;
}

async function run(
  userManager: UserManager,
  callbackUrl: string,
  signedIn: (user: User) => void,
): Promise<string> {
  try {
    const user = await userManager.signinCallback(callbackUrl);
    if (!user) throw new Error('No user came back from the sign-in response');
    signedIn(user);
    const state = user.state as { returnTo?: unknown } | undefined;
    return safeReturnTo(state?.returnTo);
  } catch (error) {
    throw toSignInError(error);
  }
}
