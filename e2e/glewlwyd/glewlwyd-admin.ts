// Configures a fresh Glewlwyd through its admin API (signed in as the admin its SQL init
// file creates): the OpenID Connect plugin instance, the scopes, the SPA's public client and
// a test user. Parameter names are those of Glewlwyd 2.7's protocol_oidc plugin and its
// database client module (its docs/OIDC.md and docs/API.md).
import { exportJWK, generateKeyPair } from 'jose';

export interface GlewlwydSetup {
  baseUrl: string;
  /** The plugin instance's name: its endpoints are under /api/<name>, its issuer too. */
  pluginName: string;
  issuer: string;
  /** The contacts API: the `resource` its tokens are for. */
  apiResource: string;
  spaOrigin: string;
  clientId: string;
  /** The client must bind its tokens with DPoP (RFC 9449). */
  requireDpop: boolean;
  accessTokenSeconds: number;
  user: { username: string; password: string; name: string; email: string };
  /** The scopes the SPA may ask for (openid aside), all granted to the user. */
  scopes: readonly string[];
}

/** The init SQL's administrator (a password only this run's Glewlwyd, on loopback, has). */
const ADMIN = { username: 'admin', password: 'password' };
/** The client property that says "this client's tokens must be DPoP-bound". */
const DPOP_BOUND_PROPERTY = 'dpop_bound_access_tokens';

export async function configureGlewlwyd(setup: GlewlwydSetup): Promise<void> {
  const admin = await signInAsAdmin(setup.baseUrl);
  await admin('PUT', '/api/mod/client/database', await clientModuleWithLogoutUris(admin));
  await admin('PUT', '/api/mod/client/database/reset'); // the module reads its format again
  for (const scope of setup.scopes) {
    await admin('POST', '/api/scope/', {
      name: scope,
      display_name: scope,
      description: `Contacts app: ${scope}`,
      password_required: true,
      password_max_age: 0,
      scheme: {},
    });
  }
  await admin('POST', '/api/mod/plugin/', await oidcPluginInstance(setup));
  await admin('POST', '/api/client/', {
    client_id: setup.clientId,
    name: 'Contacts',
    enabled: true,
    confidential: false,
    token_endpoint_auth_method: ['none'],
    authorization_type: ['code', 'refresh_token'],
    redirect_uri: [`${setup.spaOrigin}/callback`],
    // Registered, or the end-session page never sends the user back (get_session_front_client_list).
    post_logout_redirect_uris: [`${setup.spaOrigin}/`],
    scope: ['openid', ...setup.scopes],
    [DPOP_BOUND_PROPERTY]: setup.requireDpop ? 'true' : 'false',
  });
  await admin('POST', '/api/user/', {
    username: setup.user.username,
    password: setup.user.password,
    name: setup.user.name,
    email: setup.user.email,
    enabled: true,
    scope: ['openid', ...setup.scopes],
  });
}

type AdminCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

async function signInAsAdmin(baseUrl: string): Promise<AdminCall> {
  const login = await fetch(`${baseUrl}/api/auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!login.ok || !cookie) throw new Error(`glewlwyd admin sign-in: HTTP ${login.status}`);
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`glewlwyd admin ${method} ${path}: HTTP ${response.status} ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
}

/**
 * The database client module stores only the properties its data-format lists: the init
 * file lists `post_logout_redirect_uri` (one value), while the OIDC plugin reads
 * `post_logout_redirect_uris` (a list), and the DPoP flag is not listed at all.
 */
async function clientModuleWithLogoutUris(admin: AdminCall) {
  const module = (await admin('GET', '/api/mod/client/database')) as {
    parameters: { 'data-format': Record<string, unknown> };
  };
  const dataFormat = module.parameters['data-format'];
  dataFormat.post_logout_redirect_uris = { multiple: true, read: true, write: true };
  dataFormat[DPOP_BOUND_PROPERTY] = { multiple: false, read: true, write: true };
  return module;
}

async function oidcPluginInstance(setup: GlewlwydSetup) {
  // An RS256 key made now: nothing signed by this run outlives it.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `e2e-${Date.now()}`;
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    module: 'oidc',
    name: setup.pluginName,
    display_name: 'OpenID Connect (e2e)',
    enabled: true,
    parameters: {
      iss: setup.issuer,
      'jwks-private': JSON.stringify({ keys: [jwk] }),
      'default-kid': kid,
      'jwks-show': true,
      'access-token-duration': setup.accessTokenSeconds,
      'refresh-token-duration': 3600,
      'code-duration': 600,
      'refresh-token-rolling': false,
      // Rotated on every use; a replayed one ends the chain (RFC 9700 for public clients).
      'refresh-token-one-use': 'always',
      'allow-non-oidc': false,
      'auth-type-code-enabled': true,
      'auth-type-code-revoke-replayed': true,
      'auth-type-refresh-enabled': true,
      'auth-type-token-enabled': false,
      'auth-type-id-token-enabled': false,
      'auth-type-none-enabled': false,
      'auth-type-password-enabled': false,
      'auth-type-client-enabled': false,
      'auth-type-device-enabled': false,
      'subject-type': 'public',
      'name-claim': 'mandatory',
      'email-claim': 'mandatory',
      'scope-claim': 'no',
      'pkce-allowed': true,
      'pkce-method-plain-allowed': false,
      'pkce-required-public-client': true,
      'introspection-revocation-allowed': true,
      // RP-initiated logout: the end_session endpoint, and a `sid` in every ID token.
      'session-management-allowed': true,
      'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
      'session-cookie-expiration': 3600,
      // Its end-session page reads the session's clients through this list; without it the
      // list answers 400 and the page stays blank.
      'front-channel-logout-allowed': true,
      'back-channel-logout-allowed': false,
      'oauth-dpop-allowed': true,
      'oauth-dpop-iat-duration': 60,
      'oauth-dpop-dpop_bound_access_tokens-property': DPOP_BOUND_PROPERTY,
      // RFC 8707: access tokens for the contacts API, as the SPA asks with `resource`.
      'resource-allowed': true,
      'resource-scope': Object.fromEntries(setup.scopes.map((s) => [s, [setup.apiResource]])),
      'resource-scope-and-client-property': false,
    },
  };
}
