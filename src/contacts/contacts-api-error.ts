import type { FieldError } from './api-types.gen.ts';

export type ContactsApiErrorCode =
  | 'unauthenticated'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'network'
  | 'server'
  | 'rate_limited'
  | 'bad_response';

/** What went wrong talking to the contacts API, in terms the UI can explain. */
export class ContactsApiError extends Error {
  constructor(
    readonly code: ContactsApiErrorCode,
    message: string,
    readonly status?: number,
    /** For `insufficient_scope`: the scope the API asked for. */
    readonly requiredScope?: string,
    /** For `invalid`: the API's message per field (`name`, `emails.0`, …). */
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ContactsApiError';
  }
}
