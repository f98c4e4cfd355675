import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig, ProviderConfig } from '../config/app-config.ts';

/**
 * One UserManager per configured provider: authorization code + PKCE (S256) as a public
 * client. The user (tokens included) lives in sessionStorage, per tab, never in a URL.
 */
export function createUserManager(
  provider: ProviderConfig,
  options: AppConfig['options'],
  origin: string = window.location.origin,
): UserManager {
  return new UserManager({
    authority: provider.issuer,
    client_id: provider.clientId,
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: provider.scopes.join(' '),
    loadUserInfo: false,
    automaticSilentRenew: true,
    // The library's 60 s default renews every second when tokens live 15 s.
    accessTokenExpiringNotificationTimeInSeconds: options.renewMarginSeconds,
    // Sign-out revokes the refresh token itself, best effort (see sign-out.ts).
    revokeTokensOnSignout: false,
    monitorSession: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'oidc.' }),
    stateStore: new WebStorageStateStore({ store: window.localStorage, prefix: 'oidc.' }),
  });
}
