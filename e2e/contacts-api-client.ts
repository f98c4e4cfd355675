// Direct access to the contacts API for setup and verification, outside the browser: a real
// access token from the IdP (signed in over HTTP by servers/idp/test-client.ts), then plain
// HTTP calls with it.
import { CLIENT_ID } from '../servers/idp/configuration.ts';
import { signInForTokens } from '../servers/idp/test-client.ts';
import { e2eEnv } from './e2e-env.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class ContactsApi {
  constructor(
    readonly baseUrl: string,
    readonly accessToken: string,
  ) {}

  /** One call with the user's token; `token: null` sends none, a string sends that one. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const token = options.token === undefined ? this.accessToken : options.token;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
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
): Promise<ContactsApi> {
  const { tokens, status } = await signInForTokens({
    issuer: e2eEnv.idpIssuer,
    spaOrigin: e2eEnv.spaOrigin,
    clientId: CLIENT_ID,
    scope,
    username: user.username,
    password: user.password,
  });
  if (status !== 200 || !tokens.access_token) {
    throw new Error(`no access token for ${user.username}: ${tokens.error ?? status}`);
  }
  return new ContactsApi(e2eEnv.apiUrl, tokens.access_token);
}
