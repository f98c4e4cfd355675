// Direct access to the contacts API for setup and verification, outside the browser: a real
// access token from the IdP (signed in over HTTP by servers/idp/test-client.ts), bound to a
// DPoP key held here when the IdP binds tokens, then plain HTTP calls with it.
import { createDpopKey, createProof, type DpopKey } from '../servers/dpop-test-proofs.ts';
import { CLIENT_ID } from '../servers/idp/configuration.ts';
import { signInForTokens } from '../servers/idp/test-client.ts';
import { e2eEnv } from './e2e-env.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class ContactsApi {
  private nonce: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly accessToken: string,
    /** The key the token is bound to (DPoP), if it is. */
    readonly dpopKey?: DpopKey,
  ) {}

  /**
   * One call with the user's token (with a DPoP proof when it is bound; one retry on
   * use_dpop_nonce); `token: null` sends none, a string sends that one as Bearer.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      token?: string | null;
      headers?: Record<string, string>;
      /** Another origin to send it to (one replica), the proof still naming the public URL. */
      sendTo?: string;
    } = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(path, this.baseUrl);
    const own = options.token === undefined;
    const token = own ? this.accessToken : options.token;
    const send = async () => {
      const headers: Record<string, string> = {
        ...options.headers,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      };
      if (own && this.dpopKey) {
        headers.authorization = `DPoP ${this.accessToken}`;
        headers.dpop = await createProof(this.dpopKey, {
          htm: method,
          htu: `${url.origin}${url.pathname}`,
          token: this.accessToken,
          claims: this.nonce ? { nonce: this.nonce } : {},
        });
      } else if (token !== null && token !== undefined) {
        headers.authorization = `Bearer ${token}`;
      }
      const answer = await fetch(options.sendTo ? new URL(path, options.sendTo) : url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      this.nonce = answer.headers.get('dpop-nonce') ?? this.nonce;
      return answer;
    };
    let response = await send();
    if (/error="use_dpop_nonce"/.test(response.headers.get('www-authenticate') ?? '')) {
      response = await send();
    }
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (json ? JSON.parse(text) : text) as T,
    };
  }

  listContacts() {
    return this.request<{ items: { id: string; name: string }[] }>('GET', '/contacts');
  }
}

/**
 * Signs `user` in at the local test IdP over HTTP (allowing consent if asked) and returns an
 * API client with their access token.
 */
export async function contactsApiAs(
  user: { username: string; password: string },
  scope = 'openid profile email contacts:read contacts:write',
  /** Another environment's IdP, app origin and API (default: the core run's). */
  env: { idpIssuer: string; spaOrigin: string; apiUrl: string } = e2eEnv,
): Promise<ContactsApi> {
  // Like the SPA: the code bound with dpop_jkt, the token request with a proof.
  const key = await createDpopKey();
  const tokenProof = await createProof(key, { htm: 'POST', htu: `${env.idpIssuer}/token` });
  const { tokens, status } = await signInForTokens(
    {
      issuer: env.idpIssuer,
      spaOrigin: env.spaOrigin,
      clientId: CLIENT_ID,
      scope,
      username: user.username,
      password: user.password,
      authParams: { dpop_jkt: key.jkt },
    },
    undefined,
    { dpop: tokenProof },
  );
  if (status !== 200 || !tokens.access_token) {
    throw new Error(`no access token for ${user.username}: ${tokens.error ?? status}`);
  }
  const bound = tokens.token_type?.toLowerCase() === 'dpop';
  return new ContactsApi(env.apiUrl, tokens.access_token, bound ? key : undefined);
}
