// Typed client of the test IdP's QA controls (servers/idp/control-routes.ts). Node-side only:
// it carries the per-run secret, which must never reach a browser page.
import type {
  AuthorizationResponseFault,
  Counters,
  IdTokenFault,
  LogEntry,
  TokenEndpointFault,
} from '../servers/idp/fault-kinds.ts';

export type {
  AuthorizationResponseFault,
  Counters,
  IdTokenFault,
  LogEntry,
  TokenEndpointFault,
} from '../servers/idp/fault-kinds.ts';
export {
  AUTHORIZATION_RESPONSE_FAULTS,
  ID_TOKEN_FAULTS,
  TOKEN_ENDPOINT_FAULTS,
} from '../servers/idp/fault-kinds.ts';

export interface NewAccount {
  /** 1–63 of a–z, 0–9 and -. */
  username: string;
  /** At least 12 characters. */
  password: string;
  name: string;
  /** Default: read and write. */
  entitlements?: ('contacts:read' | 'contacts:write')[];
}

export interface Account {
  sub: string;
  username: string;
  name: string;
  email: string;
  entitlements: ('contacts:read' | 'contacts:write')[];
  /** False: it existed already (the same person, same password). */
  created: boolean;
}

/** Who a fault is for. A plain string is a username. */
export type Target = string | { user?: string; client?: string };

export interface Revoked {
  sessions: number;
  grants: number;
  consents: number;
}

export class IdpControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'IdpControlError';
  }
}

export class IdpControl {
  readonly #secret: string;

  constructor(
    readonly issuer: string,
    secret: string,
  ) {
    this.#secret = secret;
  }

  /**
   * New RS256 and ES256 signing keys. Global. `keepOld` (default true) keeps the old ones
   * published; `staleJwksReads`: that many browser reads of the JWKS still get the keys from
   * before (a lagging cache), while tokens are signed with the new ones.
   */
  rotateKeys(
    options: { keepOld?: boolean; staleJwksReads?: number } = {},
  ): Promise<{ kids: string[] }> {
    return this.#call('POST', '/keys/rotate', {
      keepOld: options.keepOld ?? true,
      staleJwksReads: options.staleJwksReads ?? 0,
    });
  }

  /** Ends every IdP session of the user and revokes their grants (refresh tokens die). */
  revokeUser(username: string): Promise<Revoked> {
    return this.#call('POST', `/users/${encodeURIComponent(username)}/revoke`);
  }

  /** Forgets the user's consent (for one client, default all) and revokes the grants it backed. */
  revokeConsent(username: string, options: { client?: string } = {}): Promise<Revoked> {
    return this.#call('POST', `/users/${encodeURIComponent(username)}/consent/revoke`, options);
  }

  /** The next `times` token requests of the target fail as `kind`. */
  failTokenEndpoint(
    target: Target,
    fault: {
      kind: TokenEndpointFault;
      /** 'slow': delay before the normal answer; 'lost-answer': the longest hold (30 s). */
      delayMs?: number;
      /** 'oauth_error': error code; default temporarily_unavailable. */
      error?: string;
      status?: number;
      times?: number;
    },
  ): Promise<void> {
    const { times, ...spec } = fault;
    return this.#call('POST', '/faults/token-endpoint', {
      target: targetOf(target),
      times,
      ...spec,
    });
  }

  /** The next `times` token responses with an ID token for the target carry a bad one. */
  nextIdToken(
    target: Target,
    kind: IdTokenFault,
    options: { times?: number; grant?: 'authorization_code' | 'refresh_token' } = {},
  ): Promise<void> {
    return this.#call('POST', '/faults/id-token', { target: targetOf(target), kind, ...options });
  }

  /** The next `times` redirects back to the app for the target are altered. */
  nextAuthorizationResponse(
    target: Target,
    kind: AuthorizationResponseFault,
    options: { error?: string; times?: number } = {},
  ): Promise<void> {
    return this.#call('POST', '/faults/authorization-response', {
      target: targetOf(target),
      kind,
      ...options,
    });
  }

  /** Shifts the IdP's clock (global); 0 puts it back. */
  shiftClock(seconds: number): Promise<{ clockShiftSeconds: number }> {
    return this.#call('POST', '/clock', { shiftSeconds: seconds });
  }

  counters(username: string): Promise<Counters> {
    return this.#call('GET', `/users/${encodeURIComponent(username)}/counters`);
  }

  clientCounters(clientId: string): Promise<Counters> {
    return this.#call('GET', `/clients/${encodeURIComponent(clientId)}/counters`);
  }

  /** What the IdP did for the user, oldest first (`since`: a seq from an earlier entry). */
  log(username: string, options: { since?: number } = {}): Promise<LogEntry[]> {
    const query = options.since === undefined ? '' : `?since=${options.since}`;
    return this.#call('GET', `/users/${encodeURIComponent(username)}/log${query}`);
  }

  /** Everything the IdP logged after `since`, all users (for failure reports). */
  allLog(options: { since?: number } = {}): Promise<{ lastSeq: number; entries: LogEntry[] }> {
    const query = options.since === undefined ? '' : `?since=${options.since}`;
    return this.#call('GET', `/log${query}`);
  }

  /** The user's access tokens live `seconds` (null: the run's ACCESS_TOKEN_TTL again). */
  setAccessTokenTtl(username: string, seconds: number | null): Promise<void> {
    return this.#call('POST', `/users/${encodeURIComponent(username)}/access-token-ttl`, {
      seconds,
    });
  }

  /**
   * Makes an account at the IdP unless it exists (test mode only; a seeded username is
   * refused): a user of a test's own, with a subject stable for its username.
   */
  ensureAccount(account: NewAccount): Promise<Account> {
    return this.#call('POST', '/accounts', account);
  }

  /** Disarms the user's faults, clears their counters and log, and their token lifetime. */
  resetUser(username: string): Promise<void> {
    return this.#call('POST', `/users/${encodeURIComponent(username)}/reset`);
  }

  /** Disarms every fault and puts the clock back (global). */
  resetAll(): Promise<void> {
    return this.#call('POST', '/reset');
  }

  async #call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(`/test-controls${route}`, this.issuer), {
      method,
      headers: {
        authorization: `Bearer ${this.#secret}`,
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    const json = (await response.json()) as T & { error?: string };
    if (!response.ok) {
      throw new IdpControlError(
        response.status,
        `${method} ${route}: ${json.error ?? response.status}`,
      );
    }
    return json;
  }
}

function targetOf(target: Target) {
  return typeof target === 'string' ? { user: target } : target;
}
