// The address book's first page, requested the moment a sign-in has been handled (the ID
// token validated) when the user is on the way back to the contacts: the request then
// leaves beside the router's navigation instead of after the route's code and loader.

import { listContactsPage, type TaggedPage } from './contacts-api.ts';
import type { ContactsApi } from './contacts-http.ts';

/** What the list shows first: the rest streams in after (contacts-route.tsx). */
export const FIRST_PAGE_SIZE = 200;
/** An early page not taken by then belongs to a navigation that went elsewhere. */
const MAX_AGE_MS = 10_000;

let early: { owner: string; requestedAt: number; page: Promise<TaggedPage> } | undefined;

/** Whether `returnTo` is a page under /contacts, whose parent route loads the list. */
export function showsContactList(returnTo: string): boolean {
  const { pathname } = new URL(returnTo, 'https://same-origin.invalid');
  return pathname === '/contacts' || pathname.startsWith('/contacts/');
}

export function startFirstContactsPage(
  api: ContactsApi,
  owner: string,
  now: number = Date.now(),
): void {
  const page = listContactsPage(api, { limit: FIRST_PAGE_SIZE });
  page.catch(() => undefined); // the loader that takes it asks again
  early = { owner, requestedAt: now, page };
}

/**
 * The first page for `owner`: the early request if there is one for them (taken once; if it
 * failed, asked again as usual), or a new one. A different owner never gets another's page.
 */
export function firstContactsPage(
  api: ContactsApi,
  owner: string,
  signal: AbortSignal,
  now: number = Date.now(),
): Promise<TaggedPage> {
  const taken = early;
  early = undefined;
  const ask = () => listContactsPage(api, { limit: FIRST_PAGE_SIZE }, signal);
  if (taken && taken.owner === owner && now - taken.requestedAt <= MAX_AGE_MS) {
    return taken.page.catch(ask);
  }
  return ask();
}
