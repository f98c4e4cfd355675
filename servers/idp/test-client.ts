// Drives the IdP over real HTTP the way a browser and the SPA would: keeps cookies, follows
// redirects by hand, submits the login and consent forms, redeems the code with PKCE.
// For tests; nothing here is used by the IdP itself.
import { createHash, randomBytes } from 'node:crypto';

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export class CookieBrowser {
  readonly #cookies = new Map<string, StoredCookie>();

  /** One request, no redirect following; cookies sent and stored like a browser's. */
  async fetch(
    url: string | URL,
    init: {
      method?: string;
      form?: Record<string, string>;
      /** A form with repeated fields; wins over `form`. */
      body?: URLSearchParams;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = [...this.#cookies.values()]
      .filter((c) => target.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    if (!headers.has('accept')) headers.set('accept', 'text/html');
    const response = await fetch(target, {
      method: init.method ?? (init.form || init.body ? 'POST' : 'GET'),
      headers,
      body: init.body ?? (init.form ? new URLSearchParams(init.form) : undefined),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) this.#store(line);
    return response;
  }

  /** Follows redirects while they stay on `origin`; returns the last response and where it pointed. */
  async follow(
    url: string | URL,
    init: Parameters<CookieBrowser['fetch']>[1] = {},
  ): Promise<{ response: Response; location: URL | undefined }> {
    let response = await this.fetch(url, init);
    let current = new URL(url);
    for (let hops = 0; hops < 10; hops++) {
      const header = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !header) break;
      const location = new URL(header, current);
      if (location.origin !== current.origin) return { response, location };
      await response.body?.cancel();
      current = location;
      response = await this.fetch(current);
    }
    return { response, location: undefined };
  }

  #store(line: string) {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? '/';
    const expires = attribute('expires');
    const key = `${name};${path}`;
    if (value === '' || (expires !== undefined && Date.parse(expires) <= Date.now())) {
      this.#cookies.delete(key);
    } else {
      this.#cookies.set(key, { name, value, path });
    }
  }
}

export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The action of the page's first post form, absolute. */
export function formAction(html: string, base: string): URL {
  const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  return new URL(action.replaceAll('&amp;', '&'), base);
}

export interface TokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export interface SignInOptions {
  issuer: string;
  spaOrigin: string;
  clientId: string;
  username: string;
  password: string;
  scope: string;
  /** The consent decision, if the consent page is shown; default 'allow'. */
  decision?: 'allow' | 'deny';
  /** Sent as the OIDC nonce when given. */
  nonce?: string;
  /** Optional scopes to untick on the consent page; default none (all left ticked). */
  untick?: readonly string[];
  /** Extra authorization request parameters (e.g. `dpop_jkt`). */
  authParams?: Record<string, string>;
}

/**
 * Authorization request → login → consent → back at the SPA's callback.
 * Returns the callback URL (with `code` or `error`) and the PKCE verifier.
 */
export async function signIn(browser: CookieBrowser, options: SignInOptions) {
  const { verifier, challenge } = createPkce();
  const state = randomBytes(8).toString('hex');
  const auth = new URL('/auth', options.issuer);
  auth.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: `${options.spaOrigin}/callback`,
    response_type: 'code',
    scope: options.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(options.nonce ? { nonce: options.nonce } : {}),
    ...options.authParams,
  }).toString();

  let { response, location } = await browser.follow(auth);
  const loginHtml = await response.text();
  ({ response, location } = await browser.follow(formAction(loginHtml, options.issuer), {
    form: { username: options.username, password: options.password },
  }));
  let consentShown = false;
  if (!location) {
    const consentHtml = await response.text();
    if (!consentHtml.includes('<h1>Allow'))
      throw new Error(`expected consent page, got ${response.status}: ${pageError(consentHtml)}`);
    consentShown = true;
    const form = new URLSearchParams({ decision: options.decision ?? 'allow' });
    for (const scope of tickedScopes(consentHtml)) {
      if (!options.untick?.includes(scope)) form.append('scope', scope);
    }
    ({ location } = await browser.follow(formAction(consentHtml, options.issuer), {
      body: form,
    }));
  }
  if (!location) throw new Error('the IdP did not redirect back to the SPA');
  return { callback: location, verifier, state, consentShown };
}

/** The optional scopes a consent page offers ticked. */
export function tickedScopes(html: string): string[] {
  return [
    ...html.matchAll(/<input type="checkbox"[^>]*name="scope" value="([^"]+)" checked>/g),
  ].map((match) => match[1] ?? '');
}

function pageError(html: string): string {
  return /role="alert"[^>]*>([^<]*)</.exec(html)?.[1] ?? /<h1>([^<]*)</.exec(html)?.[1] ?? '';
}

/**
 * Signs in and redeems the code: tokens for a seeded user, over HTTP, no browser. For
 * fixtures that need an access token for the contacts API, and for the IdP's own tests.
 */
export async function signInForTokens(
  options: SignInOptions,
  browser = new CookieBrowser(),
  /** Extra token request headers, e.g. a DPoP proof. */
  tokenHeaders: Record<string, string> = {},
): Promise<{ browser: CookieBrowser; tokens: TokenResponse; status: number }> {
  const { callback, verifier } = await signIn(browser, options);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in the callback: ${callback.searchParams.get('error')}`);
  const { status, body } = await tokenRequest(
    options.issuer,
    options.spaOrigin,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${options.spaOrigin}/callback`,
      client_id: options.clientId,
      code_verifier: verifier,
    },
    tokenHeaders,
  );
  return { browser, tokens: body, status };
}

export async function tokenRequest(
  issuer: string,
  origin: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TokenResponse; headers: Headers }> {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { origin, accept: 'application/json', ...headers },
    body: new URLSearchParams(params),
  });
  return {
    status: response.status,
    body: (await response.json()) as TokenResponse,
    headers: response.headers,
  };
}
