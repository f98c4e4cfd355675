import type { User, UserManager } from 'oidc-client-ts';
import { resetAutomaticSignIns } from './redirect-breaker.ts';
import { startSignIn } from './sign-in.ts';

/**
 * The user for a protected route. Without a usable session it renews once if it can, or
 * else leaves for sign-in, coming back to the same URL; the returned promise then never
 * settles because the page is going away.
 */
export async function requireUser(userManager: UserManager, requestUrl: string): Promise<User> {
  const user = await userManager.getUser();
  if (user && !user.expired) return usable(user);
  if (user?.refresh_token) {
    try {
      const renewed = await userManager.signinSilent();
      if (renewed && !renewed.expired) return usable(renewed);
    } catch {
      // A failed renewal means a fresh sign-in.
    }
  }
  // Throws a RedirectLoopError instead when sign-in keeps bouncing back.
  await startSignIn(userManager, returnPath(requestUrl), { automatic: true });
  return new Promise<never>(() => {});
}

/**
 * Only a session that is actually usable ends a run of automatic sign-ins: a callback that
 * "succeeds" with a token already expired must still count towards the breaker.
 */
function usable(user: User): User {
  resetAutomaticSignIns();
  return user;
}

/** A loader's Request drops the fragment; keep the address bar's when it is the same page. */
function returnPath(requestUrl: string): string {
  const url = new URL(requestUrl);
  const path = `${url.pathname}${url.search}`;
  const here = window.location;
  return `${here.pathname}${here.search}` === path ? `${path}${here.hash}` : path;
}
