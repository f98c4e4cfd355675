// What a contact action answers when the server refuses: data for the form or dialog that
// sent it (so nothing is lost and the optimistic change rolls back), never a thrown page.

import type { Contact, ContactInput } from './contact.ts';
import type { ContactFieldErrors } from './contact-form-values.ts';
import { fieldErrorsFromApi } from './contact-form-values.ts';
import { ContactsApiError } from './contacts-api-error.ts';

export type ContactActionError =
  | { error: 'invalid'; message: string; fieldErrors: ContactFieldErrors }
  | { error: 'conflict'; message: string; mine: ContactInput | null; theirs: Contact | null }
  | { error: 'insufficient_scope'; message: string }
  | { error: 'failed'; message: string };

export function refusal(error: unknown): ContactActionError {
  if (!(error instanceof ContactsApiError)) throw error;
  switch (error.code) {
    case 'invalid':
      return {
        error: 'invalid',
        message: error.message,
        fieldErrors: fieldErrorsFromApi(error.fieldErrors),
      };
    case 'insufficient_scope':
      return { error: 'insufficient_scope', message: error.message };
    case 'invalid_token':
    case 'unauthenticated':
      throw error; // the session is gone: the route's error screen offers sign-in
    default:
      return { error: 'failed', message: error.message };
  }
}

export function isActionError(value: unknown): value is ContactActionError {
  return typeof value === 'object' && value !== null && 'error' in value;
}
