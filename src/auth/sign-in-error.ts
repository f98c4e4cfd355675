import { ErrorResponse, ErrorTimeout } from 'oidc-client-ts';

export type SignInErrorCode =
  | 'access_denied'
  | 'login_required'
  | 'provider_error'
  | 'invalid_response'
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
const clip = (text: string | undefined) => (text ?? '').slice(0, 200);

export function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof ErrorResponse) {
    const detail = [error.error, clip(error.error_description ?? undefined)]
      .filter(Boolean)
      .join(': ');
    switch (error.error) {
      case 'access_denied':
        return new SignInError(
          'access_denied',
          'You chose not to allow access, so you are not signed in.',
          detail,
        );
      case 'login_required':
      case 'interaction_required':
      case 'consent_required':
        return new SignInError('login_required', 'You need to sign in again.', detail);
      default:
        return new SignInError(
          'provider_error',
          'The identity provider could not sign you in.',
          detail,
        );
    }
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
  if (/state/i.test(message)) {
    return new SignInError(
      'invalid_response',
      'This sign-in response is not one this browser asked for, or it was already used.',
      clip(message),
    );
  }
  return new SignInError('unknown', 'The sign-in response could not be verified.', clip(message));
}
