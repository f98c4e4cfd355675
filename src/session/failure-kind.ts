// Renewal failures fall in two kinds: transient ones are worth retrying while the access
// token still works; permanent ones mean the session is over and only a new sign-in helps.
import { ErrorResponse, ErrorTimeout } from 'oidc-client-ts';

export type FailureKind = 'transient' | 'permanent';

const PERMANENT_ERRORS = new Set([
  'invalid_grant', // refresh token expired, revoked, or reused
  'login_required', // prompt=none: no session at the provider
  'interaction_required',
  'consent_required',
  'account_selection_required',
  'invalid_client',
  'unauthorized_client',
  'access_denied',
]);

export interface RenewalFailure {
  kind: FailureKind;
  /** A stable word for the event log and the notice, e.g. `invalid_grant` or `network`. */
  reason: string;
}

export function classifyFailure(error: unknown): RenewalFailure {
  if (error instanceof ErrorTimeout) return { kind: 'transient', reason: 'timeout' };
  if (error instanceof ErrorResponse) {
    const reason = error.error ?? 'error_response';
    return { kind: PERMANENT_ERRORS.has(reason) ? 'permanent' : 'transient', reason };
  }
  // A renewed ID token that fails validation (auth/provider) ends the session.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length > 0) return { kind: 'permanent', reason: code };
  if (error instanceof SessionEndedElsewhere) return { kind: 'permanent', reason: error.reason };
  // fetch's TypeError (network down), 5xx without an OAuth body, an iframe that never loaded.
  return { kind: 'transient', reason: error instanceof TypeError ? 'network' : 'server' };
}

/** Another tab found the session over, or signed out: no request is made. */
export class SessionEndedElsewhere extends Error {
  constructor(readonly reason: string) {
    super(`the session ended in another tab (${reason})`);
    this.name = 'SessionEndedElsewhere';
  }
}
