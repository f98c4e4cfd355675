import { WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig, ProviderConfig } from '../../config/app-config.ts';
import type { Clock } from '../../lib/clock.ts';
import { dpopSettingsFor } from '../dpop/dpop-settings.ts';
import { cachedMetadata } from './metadata-cache.ts';
import { TabUserStore } from './tab-user-store.ts';
import { ValidatingUserManager } from './validating-user-manager.ts';

/**
 * One UserManager per configured provider: authorization code + PKCE (S256) as a public
 * client, a nonce on every request, and every ID token validated before a user is stored.
 * The user (tokens included) lives in this tab's memory, never in web storage or a URL;
 * src/session/storage-policy.ts says what persists where.
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
    // The prompt=none iframe (only without a refresh token) lands on the same callback;
    // app/silent-renew-frame.ts answers it there without starting the app.
    silent_redirect_uri: `${origin}/callback`,
    silentRequestTimeoutInSeconds: 5,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: provider.scopes.join(' '),
    // RFC 8707 (or Auth0's `audience`): the access token is for the contacts API.
    extraQueryParams:
      provider.audienceParameter === 'none' ? {} : { [provider.audienceParameter]: apiResource },
    metadata: cachedMetadata(provider.issuer),
    loadUserInfo: false,
    // oidc-client-ts drops these from the profile; auth_time stays (the account page shows
    // when the user authenticated). Validation reads the ID token itself, not the profile.
    filterProtocolClaims: ['nbf', 'jti', 'nonce', 'acr', 'amr', 'azp', 'at_hash'],
    // A provider that never answers ends in "did not answer in time", not an endless
    // "Signing you in…" (oidc-client-ts sets no timeout of its own). Renewals retry later.
    requestTimeoutInSeconds: 10,
    // src/session schedules renewals itself: on a monotonic clock, one tab at a time.
    automaticSilentRenew: false,
    // Sign-out revokes the refresh token itself, best effort (see sign-out.ts).
    revokeTokensOnSignout: false,
    monitorSession: false,
    userStore: new TabUserStore(),
    stateStore: new WebStorageStateStore({ store: window.localStorage, prefix: 'oidc.' }),
    dpop: dpopSettingsFor(provider), // when the provider's config says `dpop: true`
  };
  return new ValidatingUserManager(settings, {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clock,
    clockToleranceSeconds: options.clockToleranceSeconds,
    reauthentication: provider.reauthentication,
  });
}
