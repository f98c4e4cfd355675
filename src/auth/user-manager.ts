import { WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig, ProviderConfig } from '../config/app-config.ts';
import type { Clock } from '../lib/clock.ts';
import { cachedMetadata } from './metadata-cache.ts';
import { ValidatingUserManager } from './validating-user-manager.ts';

/**
 * One UserManager per configured provider: authorization code + PKCE (S256) as a public
 * client, a nonce on every request, and every ID token validated before a user is stored.
 * The user (tokens included) lives in sessionStorage, per tab, never in a URL.
 */
export function createUserManager(
  provider: ProviderConfig,
  options: AppConfig['options'],
  apiResource: string,
  clock: Clock,
  origin: string = window.location.origin,
): ValidatingUserManager {
  const settings = {
    authority: provider.issuer,
    client_id: provider.clientId,
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: provider.scopes.join(' '),
    // RFC 8707 (or Auth0's `audience`): the access token is for the contacts API.
    extraQueryParams:
      provider.audienceParameter === 'none' ? {} : { [provider.audienceParameter]: apiResource },
    metadata: cachedMetadata(provider.issuer),
    loadUserInfo: false,
    automaticSilentRenew: true,
    // The library's 60 s default renews every second when tokens live 15 s.
    accessTokenExpiringNotificationTimeInSeconds: options.renewMarginSeconds,
    // Sign-out revokes the refresh token itself, best effort (see sign-out.ts).
    revokeTokensOnSignout: false,
    monitorSession: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'oidc.' }),
    stateStore: new WebStorageStateStore({ store: window.localStorage, prefix: 'oidc.' }),
  };
  return new ValidatingUserManager(settings, {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clock,
    clockToleranceSeconds: options.clockToleranceSeconds,
  });
}
