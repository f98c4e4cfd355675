// Sends one API request with a DPoP-bound token (RFC 9449 §7): `Authorization: DPoP`, a
// fresh proof per request, the API's latest `DPoP-Nonce` remembered (from errors *and*
// successes, which oidc-client-ts ignores), and a `use_dpop_nonce` challenge answered by
// exactly one retry with the new nonce. This retry is separate from authorized-fetch's one
// renew-and-retry on `invalid_token`.
import type { UserManager } from 'oidc-client-ts';
import { createDpopProof } from '../dpop/create-dpop-proof.ts';
import { dpopStoreOf } from '../dpop/dpop-settings.ts';
import { isDpopBound } from './is-dpop-bound.ts';
import { SessionEndedError } from './session-ended-error.ts';

export type TokenSender = (url: string, init: RequestInit, token: string) => Promise<Response>;

/** Nonces per API origin, in this tab's memory (they are not secrets, just short-lived). */
export type NonceMemory = Map<string, string>;

/** A sender for the manager's provider when it binds tokens with DPoP; else undefined. */
export function dpopSenderFor(
  userManager: UserManager,
  nonces: NonceMemory = new Map(),
): TokenSender | undefined {
  const store = dpopStoreOf(userManager);
  if (!store) return undefined;
  const clientId = userManager.settings.client_id;

  return async (url, init, token) => {
    const headers = new Headers(init.headers);
    // A provider may still issue plain bearer tokens (token_type Bearer): send them as such.
    if (!isDpopBound(await userManager.getUser())) {
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(url, { ...init, headers, credentials: 'omit' });
    }
    const keys = (await store.get(clientId).catch(() => undefined))?.keys;
    // A cleared key store (site data wiped): the tokens are useless now; sign in again.
    if (!keys) throw new SessionEndedError('This browser no longer holds your sign-in key.');
    const origin = new URL(url).origin;
    const method = (init.method ?? 'GET').toUpperCase();

    const attempt = async () => {
      const nonce = nonces.get(origin);
      const proof = await createDpopProof({ keys, method, url, accessToken: token, nonce });
      const signed = new Headers(headers);
      signed.set('Authorization', `DPoP ${token}`);
      signed.set('DPoP', proof);
      const response = await fetch(url, { ...init, headers: signed, credentials: 'omit' });
      const next = response.headers.get('DPoP-Nonce');
      if (next) nonces.set(origin, next);
      return { response, nonceChanged: next !== null && next !== nonce };
    };
    const first = await attempt();
    const challenge = first.response.headers.get('WWW-Authenticate') ?? '';
    if (first.response.status === 401 && /error="use_dpop_nonce"/.test(challenge)) {
      if (first.nonceChanged) return (await attempt()).response;
    }
    return first.response;
  };
}
