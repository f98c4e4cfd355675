// The contacts API client. It never touches auth: an authorized fetch comes in as an
// argument, so it cannot read or leak tokens itself.
import { parseWwwAuthenticate } from '../lib/www-authenticate.ts';
import type { Contact, ContactPage, ListContactsQuery } from './contact.ts';
import { ContactsApiError } from './contacts-api-error.ts';

export interface ContactsApi {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  baseUrl: string;
}

/** One page of contacts (by name), optionally filtered by `q`; `nextCursor` continues it. */
export async function listContactsPage(
  api: ContactsApi,
  query: ListContactsQuery = {},
  signal?: AbortSignal,
): Promise<ContactPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.size > 0 ? `?${params}` : '';
  const response = await send(api, `contacts${search}`, { signal });
  const body = await readJson(response);
  if (!isPage(body)) {
    throw new ContactsApiError(
      'bad_response',
      'The contacts service sent an answer this app does not understand.',
      response.status,
    );
  }
  return body;
}

/** Every contact, following the pages (the largest the API serves, 200 at a time). */
export async function listContacts(api: ContactsApi, signal?: AbortSignal): Promise<Contact[]> {
  const contacts: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContactsPage(api, { limit: 200, cursor }, signal);
    contacts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return contacts;
}

async function send(api: ContactsApi, path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await api.fetch(new URL(path, ensureSlash(api.baseUrl)).toString(), {
      ...init,
      headers: { Accept: 'application/json', ...init.headers },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    if (error instanceof TypeError) {
      throw new ContactsApiError('network', 'The contacts service could not be reached.');
    }
    throw error;
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ContactsApiError> {
  const challenge = parseWwwAuthenticate(response.headers.get('WWW-Authenticate'));
  const error = challenge?.params.error;
  if (response.status === 401) {
    return error === 'invalid_token'
      ? new ContactsApiError(
          'invalid_token',
          'The contacts service did not accept your session.',
          401,
        )
      : new ContactsApiError('unauthenticated', 'The contacts service needs you to sign in.', 401);
  }
  if (response.status === 403) {
    const scope = challenge?.params.scope;
    return new ContactsApiError(
      'insufficient_scope',
      'This app has not been allowed to do that with your contacts.',
      403,
      scope,
    );
  }
  if (response.status === 404) {
    return new ContactsApiError('not_found', 'That contact does not exist.', 404);
  }
  if (response.status >= 500) {
    return new ContactsApiError(
      'server',
      'The contacts service is having trouble. Try again in a moment.',
      response.status,
    );
  }
  return new ContactsApiError(
    'bad_response',
    `The contacts service refused the request (${response.status}).`,
    response.status,
  );
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new ContactsApiError(
      'bad_response',
      'The contacts service sent an answer this app does not understand.',
      response.status,
    );
  }
}

const ensureSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const optionalString = (value: unknown) => value === null || typeof value === 'string';
const strings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function isPage(value: unknown): value is ContactPage {
  return (
    isRecord(value) &&
    Array.isArray(value.items) &&
    value.items.every(isContact) &&
    optionalString(value.nextCursor)
  );
}

function isContact(value: unknown): value is Contact {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    strings(value.emails) &&
    strings(value.phones) &&
    optionalString(value.company) &&
    optionalString(value.notes) &&
    typeof value.version === 'number'
  );
}
