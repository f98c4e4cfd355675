import type { User, UserManager } from 'oidc-client-ts';
import { startSignIn } from './sign-in.ts';

/**
 * The user for a protected route. Without a usable session it renews once if it can, or
 * else leaves for sign-in, coming back to the same URL; the returned promise then never
 * settles because the page is going away.
 */
export async function requireUser(userManager: UserManager, requestUrl: string): Promise<User> {
  const user = await userManager.getUser();
  if (user && !user.expired) return user;
  if (user?.refresh_token) {
    try {
      const renewed = await userManager.signinSilent();
      if (renewed && !renewed.expired) return renewed;
    } catch {
      // A failed renewal means a fresh sign-in.
    }
  }
  // Throws a RedirectLoopError instead when sign-in keeps bouncing back.
  await startSignIn(userManager, returnPath(requestUrl), { automatic: true });
  return new Promise<never>(() => {});
}

/** A loader's Request drops the fragment; keep the address bar's when it is the same page. */
function returnPath(requestUrl: string): string {
  const url = new URL(requestUrl);
  const path = `${url.pathname}${url.search}`;
  const here = window.location;
  return `${here.pathname}${here.search}` === path ? `${path}${here.hash}` : path;
}
