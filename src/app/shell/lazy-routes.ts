import { loadIdTokenValidator } from '../../auth/id-token/load-id-token-validator.ts';

// The route modules that load on demand, so the signed-out home page downloads neither
// the contacts screens nor (see auth/id-token/load-id-token-validator.ts) the ID-token
// validator. The /contacts routes are one chunk (vite.config.ts): loading one loads all.

export const loadContactsRoute = () => import('../../routes/contacts/contacts-route.tsx');
export const loadContactDetailRoute = () =>
  import('../../routes/contacts/contact-detail-route.tsx');
export const loadContactNewRoute = () => import('../../routes/contacts/contact-new-route.tsx');
export const loadContactEditRoute = () => import('../../routes/contacts/contact-edit-route.tsx');
export const loadContactsTransferRoute = () =>
  import('../../routes/contacts-transfer/contacts-transfer-route.tsx');
export const loadAccountRoute = () => import('../../routes/account-route.tsx');
export const loadCallbackRoute = () => import('../../routes/callback-route.tsx');
export const loadRouteError = () => import('../route-error/route-error.tsx');

/**
 * Once the signed-out home page is on screen and the browser is idle, fetch what signing in
 * will need (callback, ID-token validator, contacts list): by the time the provider sends
 * the user back, it is in the HTTP cache, so the callback waits for no download.
 */
export function prefetchSignInScreens(): void {
  const run = () => {
    for (const load of [loadCallbackRoute, loadContactsRoute]) load().catch(() => undefined);
    loadIdTokenValidator().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2_000 });
  else setTimeout(run, 200);
}
