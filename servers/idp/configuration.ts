// The test IdP's oidc-provider configuration: one plain object. Values that differ from
// oidc-provider's defaults say the default and why.
import { randomBytes } from 'node:crypto';
import {
  type Adapter,
  type ClientMetadata,
  type Configuration,
  errors,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { LocalEnv } from '../local-env.ts';
import { findAccount, grantableScopes } from './accounts.ts';
import type { ConsentMemory } from './consent-memory.ts';
import type { IdpKeys } from './keys.ts';
import { providerPages } from './provider-pages.ts';
import { accessTokenTtlFor } from './token-lifetimes.ts';

export const CLIENT_ID = 'contacts-spa';
/** The same SPA registered once more, with ES256-signed ID tokens (to test verifiers). */
export const ES256_CLIENT_ID = 'contacts-spa-es256';
/** With IDP_NO_REFRESH_CLIENT=1: the same SPA without the refresh_token grant. */
export const NO_REFRESH_CLIENT_ID = 'contacts-spa-no-refresh';
export const CLIENT_IDS = [CLIENT_ID, ES256_CLIENT_ID, NO_REFRESH_CLIENT_ID];

export function createConfiguration(
  env: LocalEnv,
  keys: IdpKeys,
  adapter: (model: string) => Adapter,
  consents: ConsentMemory,
): Configuration {
  const { renderError, rpInitiatedLogout } = providerPages(env.spaOrigin);
  const spaClient: Omit<ClientMetadata, 'client_id'> = {
    client_name: 'Contacts',
    application_type: 'web',
    token_endpoint_auth_method: 'none', // public client: PKCE (S256) is required for it by default
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // Matched exactly, trailing slash included.
    redirect_uris: [`${env.spaOrigin}/callback`],
    post_logout_redirect_uris: [`${env.spaOrigin}/`],
    // default false: auth_time only when max_age was asked. The account page shows when the
    // user authenticated, and a renewal's ID token must keep the same one.
    require_auth_time: true,
  };
  return {
    adapter, // default: in memory, lost on restart (state-file.ts)
    clients: [
      {
        ...spaClient,
        client_id: CLIENT_ID, // id_token_signed_response_alg: default RS256
        // default false: when set, a token request without a DPoP proof is refused, so every
        // token (code, access, refresh) of the SPA is bound to its key.
        dpop_bound_access_tokens: env.idpRequireDpop,
      },
      {
        ...spaClient,
        client_id: ES256_CLIENT_ID,
        id_token_signed_response_alg: 'ES256',
        // The same requirement as the main registration: otherwise its bearer tokens are a
        // way around DPoP that the API would accept.
        dpop_bound_access_tokens: env.idpRequireDpop,
      },
      // No refresh token ever (issueRefreshToken below needs the grant): the SPA renews with
      // a prompt=none iframe, as with providers that give public clients none.
      ...(env.idpNoRefreshClient
        ? [{ ...spaClient, client_id: NO_REFRESH_CLIENT_ID, grant_types: ['authorization_code'] }]
        : []),
    ],
    // default: the grant of the current browser session only; here consent is remembered per
    // account + client across sessions (consent-memory.ts).
    loadExistingGrant: consents.loadExistingGrant,
    // default ['openid', 'offline_access']. The contacts scopes are not listed: they are
    // resource scopes of the contacts API (features.resourceIndicators below).
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      // default: only openid → sub (plus protocol claims)
      // `entitlements` (RFC 9068 / IANA JWT claim): the contacts scopes this account may ever
      // be granted, so the SPA can say "read-only account" instead of offering editing again.
      profile: ['name', 'given_name', 'family_name', 'entitlements'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false, // default true; the access token is the API's, so the SPA reads name and email from the ID token, not userinfo
    allowOmittingSingleRegisteredRedirectUri: false, // default true; redirect_uri is always required
    responseTypes: ['code'], // default ['code id_token', 'code', 'id_token', 'none']; code flow only
    jwks: keys.jwks, // default: a new in-memory key per start, which would invalidate issued tokens
    cookies: {
      keys: keys.cookieKeys, // default []: unsigned cookies
      // default _session, _interaction, _interaction_resume; suffixed when two IdPs share localhost
      ...(env.idpCookieSuffix ? { names: cookieNames(env.idpCookieSuffix) } : {}),
    },
    findAccount: (ctx, sub) => findAccount(ctx, sub, env.idpContactsScopes),
    // default: only with offline_access (which needs prompt=consent). The SPA gets a refresh
    // token without it, bound to the session, so signing out ends it (stack-facts item 4).
    issueRefreshToken(_ctx, client, code) {
      if (!client.grantTypeAllowed('refresh_token')) return false;
      return (
        code.scopes.has('offline_access') ||
        (client.applicationType === 'web' && client.clientAuthMethod === 'none')
      );
    },
    // default: on every use for public clients, but a DPoP-bound refresh token only after 70 %
    // of its life (useless without the key). Here on every use, bound or not: a refresh token
    // is then good for one renewal, and a second use of a rotated one (a tab with a stale copy,
    // or a thief who also has the key) is detected and revokes the whole grant. The price: a
    // renewal whose answer is lost (tab closed mid-request) ends the session (docs/security.md).
    rotateRefreshToken: true,
    renderError, // default: a page that loads web fonts
    ttl: {
      // default 3600 (or the resource server's); short so renewal is exercised. A function so
      // the resource server's lifetime (per user in test mode) wins over the plain number.
      AccessToken: (_ctx, token) =>
        (token as { resourceServer?: { accessTokenTTL?: number } }).resourceServer
          ?.accessTokenTTL ?? env.accessTokenTtl,
      IdToken: env.idTokenTtl, // default 3600
      // default: 14 days, and a rotated token of a public client keeps the remaining
      // lifetime of the one it replaces. Kept as a function so rotation never slides the
      // lifetime, extended to DPoP-bound tokens (which the default would restart).
      RefreshToken(ctx) {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? Math.max(rotated.remainingTTL, 1) : env.refreshTokenTtl;
      },
      Session: env.sessionTtl, // default 14 days
      Grant: Math.max(env.sessionTtl, env.refreshTokenTtl), // default 14 days; as long as what it backs
      Interaction: 600, // default 3600; a sign-in page left open 10 minutes starts over
    },
    features: {
      devInteractions: { enabled: false }, // default true; our own pages at /interaction/:uid (interactions.ts)
      // Enabled by default in v9, without nonces. Nonces let a client whose clock is off by
      // more than the 300 s iat window still prove freshness (use_dpop_nonce, one retry);
      // `dpop_jkt` binds the code to the key, and public clients' refresh tokens are bound.
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32), // default none: no nonces; per start (a restart costs one retry)
        requireNonce: () => false, // default; only a proof outside the iat window needs one
        allowReplay: false, // default; each proof's jti once
      },
      revocation: { enabled: true }, // default false; the SPA revokes its refresh token on sign-out
      rpInitiatedLogout, // enabled by default; our own confirmation and signed-out pages
      resourceIndicators: {
        enabled: true,
        // default: none. The SPA sends no resource parameter; its tokens are for the API.
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? env.apiUrl,
        // default false, which would give an opaque userinfo token when the token request
        // has no resource (oidc-client-ts never sends one).
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, resource) {
          if (resource !== env.apiUrl) throw new errors.InvalidTarget();
          // IMPORTANT: once the account is known, only its entitlements are on offer, so
          // neither consent nor any token can carry a scope the account may not have.
          const sub = ctx.oidc.account?.accountId ?? ctx.oidc.session?.accountId;
          return {
            scope: grantableScopes(sub, env.idpContactsScopes).join(' '),
            audience: env.apiUrl,
            // per-user in test mode (token-lifetimes.ts), else ACCESS_TOKEN_TTL
            accessTokenTTL: accessTokenTtlFor(sub ?? tokenAccountId(ctx), env.accessTokenTtl),
            accessTokenFormat: 'jwt', // RFC 9068: typ at+jwt, verifiable by the API alone
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };
}

/** At the token endpoint the account is known from the code or refresh token redeemed. */
function tokenAccountId(ctx: KoaContextWithOIDC): string | undefined {
  const { AuthorizationCode, RefreshToken } = ctx.oidc.entities;
  return AuthorizationCode?.accountId ?? RefreshToken?.accountId;
}

function cookieNames(suffix: string) {
  return {
    session: `_session${suffix}`,
    interaction: `_interaction${suffix}`,
    resume: `_interaction_resume${suffix}`,
    state: `_state${suffix}`,
  };
}
