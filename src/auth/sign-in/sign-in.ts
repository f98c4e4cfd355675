import type { UserManager } from 'oidc-client-ts';
import { recordAutomaticSignIn, resetAutomaticSignIns } from './redirect-breaker.ts';
import { safeReturnTo } from './return-to.ts';

export interface SignInState {
  returnTo: string;
  /** Scopes asked for on top of the configured ones (incremental consent), if any. */
  extraScopes?: readonly string[];
}

/**
 * Leaves for the provider's login page. The return path stays in this browser's storage
 * with the PKCE verifier, so it never travels through the provider.
 */
export async function startSignIn(
  userManager: UserManager,
  returnTo: string,
  { automatic = false }: { automatic?: boolean } = {},
): Promise<void> {
  // Automatic redirects are counted, so a loop stops; a user's own request starts afresh.
  if (automatic) recordAutomaticSignIn();
  else resetAutomaticSignIns();
  const state: SignInState = { returnTo: safeReturnTo(returnTo) };
  // The manager adds a fresh nonce (validating-user-manager.ts).
  const extra = grantedExtraScopes();
  await userManager.signinRedirect(
    extra.length ? { state, scope: withScopes(userManager, extra) } : { state },
  );
}

// Scopes granted on top of the configured ones (incremental consent), kept for this tab so
// that signing in again (a reload: tokens live in tab memory) asks for them too, instead of
// quietly dropping the user back to fewer permissions. Only granted ones: asking again for
// a declined scope would show the consent page at every automatic sign-in.
const extraScopesKey = 'oidc-contacts.granted-extra-scopes';

function grantedExtraScopes(): string[] {
  return (sessionStorage.getItem(extraScopesKey) ?? '').split(' ').filter(Boolean);
}

/** Records which incrementally asked scopes the provider granted (none: forgets them). */
export function rememberGrantedExtraScopes(scopes: readonly string[]): void {
  if (scopes.length) sessionStorage.setItem(extraScopesKey, scopes.join(' '));
  else sessionStorage.removeItem(extraScopesKey);
}

const withScopes = (userManager: UserManager, scopes: readonly string[]) =>
  [...new Set([...userManager.settings.scope.split(' '), ...scopes])].join(' ');

/** `base` plus the scopes this tab was granted incrementally. */
export function scopeWithGrantedExtras(base: string): string {
  return [...new Set([...base.split(' '), ...grantedExtraScopes()])].join(' ');
}

/**
 * Incremental consent: leaves for the provider asking for `scopes` on top of the configured
 * ones (e.g. `contacts:write` when the user asks to edit), returning to `returnTo`. The
 * provider may show its consent page, where the user can allow, untick or deny.
 */
export async function requestMoreScopes(
  userManager: UserManager,
  scopes: readonly string[],
  returnTo: string,
): Promise<void> {
  resetAutomaticSignIns();
  const state: SignInState = { returnTo: safeReturnTo(returnTo), extraScopes: [...scopes] };
  const scope = withScopes(userManager, [...grantedExtraScopes(), ...scopes]);
  // The user asked: the provider must show its consent page even if it remembers a refusal
  // (otherwise "Ask again" would come straight back with the same answer).
  await userManager.signinRedirect({ scope, state, prompt: 'consent' });
}
