// A real access token for the benchmark user: signs in at the test IdP over HTTP (PKCE,
// consent) exactly as the SPA would, and redeems the code.
import { findDemoUser } from '../servers/demo-data.ts';
import { CookieBrowser, signIn, tokenRequest } from '../servers/idp/test-client.ts';

/** The demo user whose 10,000 seeded contacts the API benchmarks read. */
export const USER = 'alice';

export async function accessToken(
  issuer: string,
  spaOrigin: string,
  scope = 'openid contacts:read',
): Promise<string> {
  const user = findDemoUser(USER);
  if (!user) throw new Error(`no demo user ${USER}`);
  const { callback, verifier } = await signIn(new CookieBrowser(), {
    issuer,
    spaOrigin,
    clientId: 'contacts-spa',
    username: user.username,
    password: user.password,
    scope,
  });
  const { body } = await tokenRequest(issuer, spaOrigin, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: `${spaOrigin}/callback`,
    client_id: 'contacts-spa',
    code_verifier: verifier,
  });
  if (!body.access_token) throw new Error(`no access token: ${body.error ?? 'unknown'}`);
  return body.access_token;
}
