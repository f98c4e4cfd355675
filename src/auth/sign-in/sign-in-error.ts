import { ErrorResponse, ErrorTimeout } from 'oidc-client-ts';
import { IdTokenError } from '../id-token/id-token-error.ts';

export type SignInErrorCode =
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'provider_unavailable'
  | 'provider_error'
  | 'invalid_response'
  | 'id_token_invalid'
  | 'too_many_attempts'
  | 'network'
  | 'unknown';

/** A failed sign-in, with a stable code for the UI and a technical detail line for QA. */
export class SignInError extends Error {
  readonly source = 'signinCallback';
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

// Provider-supplied text is shown only as the detail line, trimmed, never as markup.
const clip = (text: string | null | undefined) => (text ?? '').slice(0, 200);

const providerErrors: Record<string, [SignInErrorCode, string]> = {
  access_denied: ['access_denied', 'You chose not to allow access, so you are not signed in.'],
  login_required: ['login_required', 'You need to sign in again.'],
  interaction_required: ['login_required', 'The identity provider needs you to sign in again.'],
  account_selection_required: [
    'login_required',
    'The identity provider needs you to choose an account.',
  ],
  consent_required: ['consent_required', 'The identity provider needs you to allow access again.'],
  server_error: [
    'provider_unavailable',
    'The identity provider had a problem. Try again in a moment.',
  ],
  temporarily_unavailable: [
    'provider_unavailable',
    'The identity provider is busy right now. Try again in a moment.',
  ],
};

const libraryIdTokenRules: [RegExp, string][] = [
  [/missing a subject claim/, 'sub'],
  [/^nonce in id_token/, 'nonce'],
  [/^sub in id_token/, 'renewal_sub'],
  [/^auth_time in id_token/, 'renewal_auth_time'],
  [/^azp (in|not in) id_token/, 'renewal_azp'],
  [/^Invalid token specified/, 'malformed'],
];

export function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof IdTokenError) {
    return new SignInError(
      'id_token_invalid',
      error.rule === 'auth_time'
        ? 'The identity provider did not confirm when you last signed in, which this app must check, so you are not signed in.'
        : 'The sign-in response could not be verified, so you are not signed in.',
      `${error.rule}: ${clip(error.message)}`,
    );
  }
  if (error instanceof ErrorResponse) {
    const detail = [error.error, clip(error.error_description)].filter(Boolean).join(': ');
    const [code, message] = providerErrors[error.error ?? ''] ?? [
      'provider_error',
      'The identity provider could not sign you in.',
    ];
    return new SignInError(code, message, detail);
  }
  if (error instanceof ErrorTimeout) {
    return new SignInError(
      'network',
      'The identity provider did not answer in time.',
      error.message,
    );
  }
  if (error instanceof TypeError) {
    return new SignInError('network', 'The identity provider could not be reached.', error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  // oidc-client-ts's own ID token checks run before ours; name the same rules.
  const libraryRule = libraryIdTokenRules.find(([pattern]) => pattern.test(message))?.[1];
  if (libraryRule) {
    return new SignInError(
      'id_token_invalid',
      'The sign-in response could not be verified, so you are not signed in.',
      `${libraryRule}: ${clip(message)}`,
    );
  }
  if (/\(5\d\d\)/.test(message)) {
    return new SignInError(
      'provider_unavailable',
      'The identity provider had a problem. Try again in a moment.',
      clip(message),
    );
  }
  if (/state/i.test(message)) {
    return new SignInError(
      'invalid_response',
      'This sign-in response is not one this browser asked for, or it was already used.',
      clip(message),
    );
  }
  return new SignInError('unknown', 'The sign-in response could not be verified.', clip(message));
}
