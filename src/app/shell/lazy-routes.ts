import { loadIdTokenValidator } from '../../auth/id-token/load-id-token-validator.ts';

// The route modules that load on demand, so the signed-out home page downloads neither
// the contacts screens nor (see auth/load-id-token-validator.ts) the ID-token validator.
// `preload*` lets a page start a download early, alongside the work it waits for.

export const loadContactsScreens = () => import('../../routes/contacts/contacts-screens.ts');
/** Small: the sign-in asks for the first page without waiting for the screens' code. */
export const loadFirstContactsPage = () => import('../../contacts/first-contacts-page.ts');
export const loadAccount = () => import('../../routes/account-route.tsx');
export const loadCallbackRoute = () => import('../../routes/callback-route.tsx');
export const loadRouteError = () => import('../route-error/route-error.tsx');

/**
 * Once the signed-out home page is on screen and the browser is idle, fetch what signing in
 * will need (callback, ID-token validator, contacts list): by the time the provider sends
 * the user back, it is in the HTTP cache, so the callback waits for no download.
 */
export function prefetchSignInScreens(): void {
  const run = () => {
    for (const load of [loadCallbackRoute, loadContactsScreens]) load().catch(() => undefined);
    loadIdTokenValidator().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2_000 });
  else setTimeout(run, 200);
}
