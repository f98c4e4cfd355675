import type { User } from 'oidc-client-ts';
import { resetAutomaticSignIns } from '../auth/sign-in/redirect-breaker.ts';
import { startSignIn } from '../auth/sign-in/sign-in.ts';
import type { Session } from './create-session.ts';

/**
 * The user for a protected route. Without a usable session it leaves for sign-in, coming
 * back to the same URL; the returned promise then never settles because the page is going
 * away. Renewal is the keeper's: asking it for a credential renews through its cross-tab
 * lock, where a renewal started here could reuse a refresh token another tab already rotated.
 */
export async function requireUser(
  session: Pick<Session, 'manager' | 'keeper'>,
  requestUrl: string,
): Promise<User> {
  const user = await session.manager.getUser();
  if (user && (await session.keeper.credential()) !== null) return usable(user);
  // Throws a RedirectLoopError instead when sign-in keeps bouncing back.
  await startSignIn(session.manager, returnPath(requestUrl), { automatic: true });
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
