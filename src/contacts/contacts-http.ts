// The one way requests reach the contacts API: the authorized fetch handed in, and every
// failure turned into a ContactsApiError the UI can explain.
import { parseWwwAuthenticate } from '../lib/www-authenticate.ts';
import type { FieldError } from './api-types.gen.ts';
import type { Contact, ContactPage } from './contact.ts';
import { ContactsApiError } from './contacts-api-error.ts';

export interface ContactsApi {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  baseUrl: string;
  /**
   * Told when the API answered 429 and the request will be sent again in `seconds`, so the
   * UI can say it is slowing down; `0` once the request went through or gave up.
   */
  onSlowDown?: (seconds: number) => void;
}

/** 429s waited out per request before giving up with `rate_limited`. */
const RATE_LIMIT_RETRIES = 2;
/** Longest wait honoured; a longer Retry-After gives up at once (the user may try later). */
const LONGEST_WAIT_SECONDS = 60;

/**
 * One request; a 429 is waited out (Retry-After) and the same request sent again, headers
 * and body unchanged (a create keeps its Idempotency-Key), so nothing the user typed is lost:
 * the caller's promise simply resolves later.
 */
export async function send(api: ContactsApi, path: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await sendOnce(api, path, init);
    const wait = response.status === 429 ? retryAfterSeconds(response) : undefined;
    if (wait === undefined || attempt >= RATE_LIMIT_RETRIES) {
      if (attempt > 0) api.onSlowDown?.(0);
      // 304: only ever the answer to an If-None-Match the caller sent, who reads it.
      if (!response.ok && response.status !== 304) throw await toApiError(response);
      return response;
    }
    api.onSlowDown?.(wait);
    await delay(wait * 1000, init.signal);
  }
}

/** Retry-After in seconds (delta or HTTP date), or undefined when absent or too long. */
function retryAfterSeconds(response: Response): number | undefined {
  const raw = response.headers.get('Retry-After')?.trim() ?? '';
  const seconds = /^[0-9]+$/.test(raw)
    ? Number(raw)
    : Math.ceil((Date.parse(raw) - Date.now()) / 1000);
  if (!Number.isFinite(seconds) || seconds > LONGEST_WAIT_SECONDS) return undefined;
  return Math.max(1, seconds);
}

function delay(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

async function sendOnce(api: ContactsApi, path: string, init: RequestInit): Promise<Response> {
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
  return response;
}

async function toApiError(response: Response): Promise<ContactsApiError> {
  const challenge = parseWwwAuthenticate(response.headers.get('WWW-Authenticate'));
  const error = challenge?.params.error;
  const { status } = response;
  if (status === 401) {
    return error === 'invalid_token'
      ? new ContactsApiError(
          'invalid_token',
          'The contacts service did not accept your session.',
          401,
        )
      : new ContactsApiError('unauthenticated', 'The contacts service needs you to sign in.', 401);
  }
  if (status === 403) {
    const message = 'This app has not been allowed to do that with your contacts.';
    return new ContactsApiError('insufficient_scope', message, 403, challenge?.params.scope);
  }
  if (status === 404) return new ContactsApiError('not_found', 'That contact does not exist.', 404);
  if (status === 412) {
    const message = 'This contact was changed somewhere else since you opened it.';
    return new ContactsApiError('conflict', message, 412);
  }
  if (status === 400 || status === 422) {
    const fields = await fieldErrorsOf(response);
    if (fields.length > 0) {
      const message = 'Some fields need another look.';
      return new ContactsApiError('invalid', message, status, undefined, fields);
    }
  }
  if (status === 429) {
    const message =
      'You are going faster than the contacts service allows. Wait a moment, then try again.';
    return new ContactsApiError('rate_limited', message, 429);
  }
  if (status >= 500) {
    const message = 'The contacts service is having trouble. Try again in a moment.';
    return new ContactsApiError('server', message, status);
  }
  const message = `The contacts service refused the request (${status}).`;
  return new ContactsApiError('bad_response', message, status);
}

async function fieldErrorsOf(response: Response): Promise<FieldError[]> {
  const body: unknown = await response.json().catch(() => null);
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(
    (e): e is FieldError =>
      isRecord(e) && typeof e.field === 'string' && typeof e.message === 'string',
  );
}

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw badResponse(response.status);
  }
}

export const badResponse = (status?: number) =>
  new ContactsApiError(
    'bad_response',
    'The contacts service sent an answer this app does not understand.',
    status,
  );

const ensureSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
const optionalString = (value: unknown) => value === null || typeof value === 'string';
const strings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export function isPage(value: unknown): value is ContactPage {
  return (
    isRecord(value) &&
    Array.isArray(value.items) &&
    value.items.every(isContact) &&
    optionalString(value.nextCursor)
  );
}

export function isContact(value: unknown): value is Contact {
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
