// The contacts API client. It never touches auth: an authorized fetch comes in as an
// argument, so it cannot read or leak tokens itself. Verb-first, one function per route.
import type { Contact, ContactInput, ContactPage, ListContactsQuery } from './contact.ts';
import {
  badResponse,
  type ContactsApi,
  isContact,
  isPage,
  readJson,
  send,
} from './contacts-http.ts';

export type { ContactsApi } from './contacts-http.ts';

/** A page of the list with the list's ETag (one tag for every page of one list version). */
export type TaggedPage = ContactPage & { etag: string | null };

/** One page of contacts (by name), optionally filtered by `q`; `nextCursor` continues it. */
export async function listContactsPage(
  api: ContactsApi,
  query: ListContactsQuery = {},
  signal?: AbortSignal,
): Promise<TaggedPage> {
  const page = await listContactsPageIfChanged(api, query, null, signal);
  if (!page) throw badResponse(304); // no If-None-Match was sent
  return page;
}

/**
 * The page, or null when the list is still at `etag` (304: nothing sent, nothing parsed).
 */
export async function listContactsPageIfChanged(
  api: ContactsApi,
  query: ListContactsQuery,
  etag: string | null,
  signal?: AbortSignal,
): Promise<TaggedPage | null> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.size > 0 ? `?${params}` : '';
  const headers: Record<string, string> = etag ? { 'If-None-Match': etag } : {};
  const response = await send(api, `contacts${search}`, { signal, headers });
  if (response.status === 304) return null;
  const body = await readJson(response);
  if (!isPage(body)) throw badResponse(response.status);
  return { ...body, etag: response.headers.get('ETag') };
}

/** Every contact, following the pages (the largest the API serves, 200 at a time). */
export async function listContacts(api: ContactsApi, signal?: AbortSignal): Promise<Contact[]> {
  return listRemainingContacts(api, { items: [], nextCursor: null }, signal, true);
}

/** The rest of the list after `first`, page by page. */
export async function listRemainingContacts(
  api: ContactsApi,
  first: ContactPage,
  signal?: AbortSignal,
  fromStart = false,
): Promise<Contact[]> {
  const contacts = [...first.items];
  let cursor = first.nextCursor ?? undefined;
  if (!fromStart && !cursor) return contacts;
  do {
    const page = await listContactsPage(api, { limit: 200, cursor }, signal);
    contacts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return contacts;
}

export async function getContact(api: ContactsApi, id: string, signal?: AbortSignal) {
  return contactFrom(await send(api, `contacts/${encodeURIComponent(id)}`, { signal }));
}

/** The Idempotency-Key makes a retried create (a lost answer) never make two contacts. */
export async function createContact(api: ContactsApi, input: ContactInput, idempotencyKey: string) {
  const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey };
  const init = { method: 'POST', headers, body: JSON.stringify(input) };
  return contactFrom(await send(api, 'contacts', init));
}

/** Replaces the contact only if it is still at `version`; else a `conflict` error. */
export async function updateContact(
  api: ContactsApi,
  id: string,
  version: number,
  input: ContactInput,
) {
  const headers = { 'Content-Type': 'application/json', 'If-Match': `"v${version}"` };
  const init = { method: 'PUT', headers, body: JSON.stringify(input) };
  return contactFrom(await send(api, `contacts/${encodeURIComponent(id)}`, init));
}

export async function deleteContact(api: ContactsApi, id: string, version: number) {
  const init = { method: 'DELETE', headers: { 'If-Match': `"v${version}"` } };
  await send(api, `contacts/${encodeURIComponent(id)}`, init);
}

async function contactFrom(response: Response): Promise<Contact> {
  const body = await readJson(response);
  if (!isContact(body)) throw badResponse(response.status);
  return body;
}
